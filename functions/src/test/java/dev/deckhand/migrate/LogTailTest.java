package dev.deckhand.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LogTailTest {

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void keepsTheLastFiftyLinesOldestFirst() {
        List<String> logged = IntStream.rangeClosed(1, 120).mapToObj(i -> "line " + i).toList();

        LogTail tail = LogTail.of(logged);

        assertThat(tail.lines()).hasSize(50).startsWith("line 71").endsWith("line 120");
    }

    @Test
    void keepsTheNewestLinesThatFitInFourKibibytes() {
        // 100 lines of 100 bytes: 50 of them would be 5,049 bytes with their newlines.
        List<String> logged = IntStream.rangeClosed(1, 100)
                .mapToObj(i -> String.format("%03d", i) + "x".repeat(97)).toList();

        LogTail tail = LogTail.of(logged);

        assertThat(bytes(tail.text())).isLessThanOrEqualTo(4096);
        // 40 lines are 4,039 bytes; a 41st would make 4,140.
        assertThat(tail.lines()).hasSize(40);
        assertThat(tail.lines().get(0)).startsWith("061");
        assertThat(tail.lines().get(39)).startsWith("100");
    }

    @Test
    void cutsALineLongerThanTheBudgetKeepingItsEndWithoutSplittingACharacter() {
        String huge = "é".repeat(5000) + " ERROR: relation \"orders\" already exists";

        LogTail tail = LogTail.of(List.of("earlier line", huge));

        assertThat(tail.lines()).hasSize(1);
        assertThat(tail.text()).startsWith("…").endsWith("ERROR: relation \"orders\" already exists");
        assertThat(bytes(tail.text())).isLessThanOrEqualTo(4096).isGreaterThan(4090);
        assertThat(new String(tail.text().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .isEqualTo(tail.text());
    }

    @Test
    void dropsTheTrailingNewlineAnEventMayCarry() {
        assertThat(LogTail.of(List.of("one\n", "two\n")).text()).isEqualTo("one\ntwo");
    }

    @Test
    void noLinesIsAnEmptyTail() {
        assertThat(LogTail.of(new ArrayList<>()).isEmpty()).isTrue();
    }
}
