package dev.deckhand.health;

import dev.deckhand.config.HealthCheckSettings;
import java.time.Duration;

/**
 * What one probe round means for a deployment: the one rule that both the "Verify health" step and
 * the ECS lifecycle hook apply. A healthy round is the verdict; an unhealthy round before the last
 * allowed one asks for another round after the backoff; the unhealthy last round is the verdict
 * "unhealthy".
 */
public sealed interface HealthVerdict {

    /** The schedule of "Verify health"'s Retry (IntervalSeconds 1, BackoffRate 2, MaxDelaySeconds 60). */
    Duration MAX_BACKOFF = Duration.ofSeconds(60);

    /** Enough healthy answers in a row. */
    record Healthy(HealthReport report) implements HealthVerdict {
    }

    /** Not yet healthy: probe again after {@code retryIn}. */
    record Pending(String detail, Duration retryIn) implements HealthVerdict {
    }

    /** Unhealthy through every allowed round. */
    record Unhealthy(String detail) implements HealthVerdict {
    }

    /**
     * @param url the URL the round probed (the health URL, or the test listener's)
     * @param number 1 for the first round
     */
    static HealthVerdict of(HealthCheckSettings settings, String url, HealthRound round, int number) {
        if (round.healthy()) {
            return new Healthy(new HealthReport(true, number, round.answers()));
        }
        String detail = "round " + number + " of " + settings.maxAttempts() + ": " + url + " answered "
                + round.last().detail();
        if (number >= settings.maxAttempts()) {
            return new Unhealthy("unhealthy after " + settings.maxAttempts() + " rounds; last: " + detail);
        }
        return new Pending(detail, backoffAfter(number));
    }

    /** The wait after unhealthy round {@code number}: 1, 2, 4 … 60 s. */
    static Duration backoffAfter(int number) {
        int exponent = Math.min(number - 1, 6);
        Duration delay = Duration.ofSeconds(1L << exponent);
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }
}
