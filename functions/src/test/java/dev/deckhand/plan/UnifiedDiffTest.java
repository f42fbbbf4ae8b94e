package dev.deckhand.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Expected outputs are what GNU diff -u prints for the same inputs (three lines of context). */
class UnifiedDiffTest {

    private static List<String> lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(n -> "line " + n).toList();
    }

    @Test
    void equalTextsHaveNoDiff() {
        assertThat(UnifiedDiff.of("a", "b", lines(1, 5), lines(1, 5))).isEmpty();
    }

    @Test
    void oneChangedLineIsAHunkWithThreeLinesOfContextRemovalFirst() {
        List<String> changed = new java.util.ArrayList<>(lines(1, 10));
        changed.set(4, "line five");

        assertThat(UnifiedDiff.of("live", "new", lines(1, 10), changed)).containsExactly(
                "--- live", "+++ new", "@@ -2,7 +2,7 @@",
                " line 2", " line 3", " line 4", "-line 5", "+line five", " line 6", " line 7", " line 8");
    }

    @Test
    void distantChangesAreSeparateHunksAndNearOnesShareOne() {
        List<String> changed = new java.util.ArrayList<>(lines(1, 20));
        changed.set(1, "two");
        changed.set(17, "eighteen");
        changed.set(19, "twenty");

        assertThat(UnifiedDiff.of("a", "b", lines(1, 20), changed)).containsExactly(
                "--- a", "+++ b",
                "@@ -1,5 +1,5 @@", " line 1", "-line 2", "+two", " line 3", " line 4", " line 5",
                "@@ -15,6 +15,6 @@", " line 15", " line 16", " line 17", "-line 18", "+eighteen", " line 19",
                "-line 20", "+twenty");
    }

    @Test
    void insertionsAndDeletionsCountTheirSidesOnly() {
        assertThat(UnifiedDiff.of("a", "b", List.of("x", "y"), List.of("x", "new", "y"))).containsExactly(
                "--- a", "+++ b", "@@ -1,2 +1,3 @@", " x", "+new", " y");
        assertThat(UnifiedDiff.of("a", "b", List.of("only"), List.of())).containsExactly(
                "--- a", "+++ b", "@@ -1 +0,0 @@", "-only");
    }
}
