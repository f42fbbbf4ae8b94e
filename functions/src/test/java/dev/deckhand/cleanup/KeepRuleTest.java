package dev.deckhand.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KeepRuleTest {

    private static final String FAMILY = "arn:aws:ecs:eu-west-1:123456789012:task-definition/api:";

    private static List<String> revisions(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(n -> FAMILY + n).toList();
    }

    @Test
    void deregistersAllButTheNewestKeepOldestFirst() {
        assertThat(KeepRule.toDeregister(revisions(1, 6), 3, Set.of()))
                .containsExactly(FAMILY + 1, FAMILY + 2, FAMILY + 3);
    }

    @Test
    void ordersByRevisionNumberNotByListOrderOrText() {
        // "10" sorts before "9" as text; the revision number decides.
        assertThat(KeepRule.toDeregister(List.of(FAMILY + 10, FAMILY + 2, FAMILY + 9), 2, Set.of()))
                .containsExactly(FAMILY + 2);
    }

    @Test
    void neverDeregistersAProtectedRevisionEvenBeyondTheNewestKeep() {
        assertThat(KeepRule.toDeregister(revisions(1, 6), 2, Set.of(FAMILY + 1, FAMILY + 3)))
                .containsExactly(FAMILY + 2, FAMILY + 4);
    }

    @Test
    void protectedRevisionsAmongTheNewestDoNotExtendTheKeptCount() {
        // The newest two are kept as the newest; a protected old one is kept as well, no other.
        assertThat(KeepRule.toDeregister(revisions(1, 5), 2, Set.of(FAMILY + 5, FAMILY + 1)))
                .containsExactly(FAMILY + 2, FAMILY + 3);
    }

    @Test
    void deregistersNothingWhenThereAreAtMostKeep() {
        assertThat(KeepRule.toDeregister(revisions(1, 10), 10, Set.of())).isEmpty();
        assertThat(KeepRule.toDeregister(List.of(), 1, Set.of())).isEmpty();
    }

    @Test
    void refusesToKeepFewerThanOne() {
        assertThatThrownBy(() -> KeepRule.toDeregister(revisions(1, 2), 0, Set.of()))
                .hasMessage("keep must be at least 1, was 0");
    }

    @Test
    void readsFamilyAndRevisionFromAnArn() {
        assertThat(KeepRule.family(FAMILY + 12)).isEqualTo("api");
        assertThat(KeepRule.revisionNumber(FAMILY + 12)).isEqualTo(12);
    }
}
