package dev.deckhand.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one rule "Verify health" and the lifecycle hook share. */
class HealthVerdictTest {

    private static final dev.deckhand.config.HealthCheckSettings SETTINGS =
            new dev.deckhand.config.HealthCheckSettings("http://api/health", 200, null, 2, 4, 5);
    private static final HealthRound UNHEALTHY =
            new HealthRound(false, java.util.List.of(new HealthJudgement(false, 503, "status 503, expected 200")));

    /** The definition's "Verify health" Retry: IntervalSeconds 1, BackoffRate 2, MaxDelaySeconds 60. */
    @ParameterizedTest
    @CsvSource({"1,1", "2,2", "3,4", "6,32", "7,60", "20,60"})
    void backsOffOnTheVerifyHealthRetrySchedule(int round, long seconds) {
        assertThat(HealthVerdict.backoffAfter(round)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void anUnhealthyRoundIsPendingUntilTheLastAllowedOne() {
        assertThat(HealthVerdict.of(SETTINGS, "http://test/health", UNHEALTHY, 3))
                .isEqualTo(new HealthVerdict.Pending("round 3 of 4: http://test/health answered status 503, expected 200",
                        Duration.ofSeconds(4)));
        assertThat(HealthVerdict.of(SETTINGS, "http://test/health", UNHEALTHY, 4))
                .isInstanceOf(HealthVerdict.Unhealthy.class);
    }

    @Test
    void aHealthyRoundIsTheVerdict() {
        HealthRound healthy = new HealthRound(true, java.util.List.of(new HealthJudgement(true, 200, "status 200")));
        assertThat(HealthVerdict.of(SETTINGS, "http://api/health", healthy, 2))
                .isEqualTo(new HealthVerdict.Healthy(new HealthReport(true, 2, healthy.answers())));
    }
}
