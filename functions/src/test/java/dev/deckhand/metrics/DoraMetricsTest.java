package dev.deckhand.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.json.DeckhandJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DORA figures of a scripted history whose answers are worked out by hand in the comments. */
class DoraMetricsTest {

    private static final Instant DAY0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant TO = DAY0.plus(Duration.ofDays(10));

    private final List<AttemptRecord> history = new ArrayList<>();

    private static Instant at(int day, int minutes) {
        return DAY0.plus(Duration.ofDays(day)).plus(Duration.ofMinutes(minutes));
    }

    /** One attempt: pushed (the request time) at {@code requested}; verified and/or updated timings when given. */
    private void attempt(String environment, String digest, String trigger, Outcome outcome, Instant requested,
            Instant updated, Instant verified, Instant finished) {
        ObjectNode details = DeckhandJson.MAPPER.createObjectNode();
        details.put("requestedAt", requested.toString());
        ObjectNode timings = details.putObject("timings");
        if (updated != null) {
            timings.put("updated", updated.toString());
        }
        if (verified != null) {
            timings.put("verified", verified.toString());
        }
        history.add(new AttemptRecord("d-" + history.size(), 1, outcome, "storefront", environment,
                "123.dkr.ecr.us-east-1.amazonaws.com/acme/storefront@sha256:" + digest, "t", trigger, "ci",
                "arn:exec", requested, finished, "r", details));
    }

    private void scriptedDevHistory() {
        // Before the period: counts for nothing in it.
        attempt("dev", "d0", "push", Outcome.SUCCEEDED, at(-2, 0), at(-2, 5), at(-2, 20), at(-2, 25));
        // A1: lead time 20 min.
        attempt("dev", "d1", "push", Outcome.SUCCEEDED, at(0, 60), at(0, 65), at(0, 80), at(0, 90));
        // A2: the migration failed before the update: not a change.
        attempt("dev", "d2", "push", Outcome.FAILED, at(1, 0), null, null, at(1, 10));
        // A3: a failed change, restored by A4 75 min later.
        attempt("dev", "d3", "push", Outcome.ROLLED_BACK, at(2, 0), at(2, 5), null, at(2, 30));
        // A4: lead time 40 min.
        attempt("dev", "d4", "push", Outcome.SUCCEEDED, at(2, 60), at(2, 65), at(2, 100), at(2, 105));
        // A5: a failed change, restored by A6 120 min later.
        attempt("dev", "d5", "push", Outcome.ROLLBACK_FAILED, at(5, 0), at(5, 5), null, at(5, 60));
        // A6: lead time 60 min.
        attempt("dev", "d6", "push", Outcome.SUCCEEDED, at(5, 120), at(5, 125), at(5, 180), at(5, 180));
        // Ignored: not an attempt that deployed anything.
        attempt("dev", "d7", "push", Outcome.IGNORED, at(6, 0), null, null, at(6, 1));
        // A8: a failed change never followed by a success.
        attempt("dev", "d8", "push", Outcome.ROLLED_BACK, at(8, 0), at(8, 5), null, at(8, 20));
    }

    @Test
    void computesTheFourKeysOfAScriptedHistory() {
        scriptedDevHistory();

        DoraFigures figures = DoraMetrics.of("storefront", "dev", history, DAY0, TO);

        // A1, A4, A6 over 10 days.
        assertThat(figures.deployments()).isEqualTo(3);
        assertThat(figures.deploymentsPerDay()).isEqualTo(0.3);
        // 20, 40, 60 min.
        assertThat(figures.medianLeadTime()).isEqualTo(Duration.ofMinutes(40));
        assertThat(figures.leadTimeSamples()).isEqualTo(3);
        // A1, A3, A4, A5, A6, A8 changed the service; A3, A5, A8 failed.
        assertThat(figures.changes()).isEqualTo(6);
        assertThat(figures.failedChanges()).isEqualTo(3);
        assertThat(figures.changeFailureRate()).isEqualTo(0.5);
        // 75 and 120 min: the mean of the middle two.
        assertThat(figures.medianTimeToRestore()).isEqualTo(Duration.ofSeconds(5850));
        assertThat(figures.restored()).isEqualTo(2);
        assertThat(figures.unrestored()).isEqualTo(1);
    }

    @Test
    void aPromotedImagesLeadTimeStartsAtItsPushInTheEarlierEnvironment() {
        scriptedDevHistory();
        // d4 pushed to dev at day 2 +60 min, promoted and verified in prod at day 3 +10 min.
        attempt("prod", "d4", "promote", Outcome.SUCCEEDED, at(3, 0), at(3, 2), at(3, 10), at(3, 12));

        DoraFigures figures = DoraMetrics.of("storefront", "prod", history, DAY0, TO);

        assertThat(figures.deployments()).isEqualTo(1);
        assertThat(figures.medianLeadTime()).isEqualTo(Duration.ofDays(1).minusMinutes(50));
        assertThat(figures.changeFailureRate()).isEqualTo(0.0);
        assertThat(figures.medianTimeToRestore()).isNull();
    }

    @Test
    void aFailureAfterTheServiceWasUpdatedIsAFailedChange() {
        attempt("dev", "e1", "push", Outcome.FAILED, at(1, 0), at(1, 5), null, at(1, 30));

        DoraFigures figures = DoraMetrics.of("storefront", "dev", history, DAY0, TO);

        assertThat(figures.changes()).isEqualTo(1);
        assertThat(figures.failedChanges()).isEqualTo(1);
        assertThat(figures.changeFailureRate()).isEqualTo(1.0);
        assertThat(figures.unrestored()).isEqualTo(1);
    }

    @Test
    void anEmptyHistoryHasNoRatesButZeroCounts() {
        DoraFigures figures = DoraMetrics.of("storefront", "dev", List.of(), DAY0, TO);

        assertThat(figures.deployments()).isZero();
        assertThat(figures.deploymentsPerDay()).isZero();
        assertThat(figures.medianLeadTime()).isNull();
        assertThat(figures.changeFailureRate()).isNull();
    }

    @Test
    void refusesAPeriodThatEndsBeforeItStarts() {
        assertThatThrownBy(() -> DoraMetrics.of("storefront", "dev", List.of(), TO, DAY0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends after it starts");
    }
}
