package dev.deckhand.health;

import dev.deckhand.config.HealthCheckSettings;
import dev.deckhand.deployment.ImageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Probes a service until it has answered healthy {@code consecutiveSuccesses} times in a row, or
 * until the first unhealthy answer. Waiting between rounds is not done here: the state machine's
 * Retry spaces the rounds (1, 2, 4 … 60 s), so no Lambda sleeps through a backoff.
 */
public final class HealthCheck {

    /** Between the probes of one round: enough to see a flapping service, short enough for a Lambda. */
    public static final Duration PROBE_SPACING = Duration.ofSeconds(1);

    /** Waits between the probes of a round; tests and the local cloud pass one that follows their clock. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final HealthProbe probe;
    private final Pause pause;

    public HealthCheck(HealthProbe probe, Pause pause) {
        this.probe = probe;
        this.pause = pause;
    }

    public HealthRound round(HealthCheckSettings settings, ImageDigest deployed) throws InterruptedException {
        return round(settings, settings.url(), deployed);
    }

    /** A round against {@code url} (the test listener's, for a lifecycle hook) with {@code settings}' rules. */
    public HealthRound round(HealthCheckSettings settings, String url, ImageDigest deployed) throws InterruptedException {
        Duration timeout = Duration.ofSeconds(settings.timeoutSeconds());
        List<HealthJudgement> answers = new ArrayList<>();
        for (int i = 0; i < settings.consecutiveSuccesses(); i++) {
            if (i > 0) {
                pause.pause(PROBE_SPACING);
            }
            HealthJudgement judgement = HealthJudgement.of(probe.probe(url, timeout), settings, deployed);
            answers.add(judgement);
            if (!judgement.healthy()) {
                return new HealthRound(false, answers);
            }
        }
        return new HealthRound(true, answers);
    }
}
