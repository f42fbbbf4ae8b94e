package dev.deckhand.health;

import dev.deckhand.config.HealthCheckSettings;
import dev.deckhand.deployment.ImageDigest;
import dev.deckhand.deployment.ImageRef;
import dev.deckhand.errors.HealthCheckFailedException;
import dev.deckhand.errors.HealthCheckPendingException;
import dev.deckhand.errors.InvalidInputException;

/**
 * One round of "Verify health". An unhealthy round throws {@link HealthCheckPendingException},
 * which the state's Retry answers with the next round after a backoff (1, 2, 4 … 60 s); the round
 * numbered {@code maxAttempts} throws {@link HealthCheckFailedException} instead, which the
 * definition routes to the rollback.
 */
public final class HealthVerification {

    private final HealthCheck check;

    public HealthVerification(HealthCheck check) {
        this.check = check;
    }

    /**
     * @param expectedImage the image that should answer (pinned URI); the deployed one unless rolling back
     * @param round 1 for the first round; the definition passes the state's retry count + 1
     */
    public HealthReport verify(HealthCheckSettings settings, String expectedImage, int round) throws InterruptedException {
        ImageDigest digest = ImageRef.parsePinned(expectedImage, null).map(ImageRef::digest).orElseThrow(() ->
                new InvalidInputException("expected image '" + expectedImage + "' is not pinned by digest"));
        HealthVerdict verdict = HealthVerdict.of(settings, settings.url(), check.round(settings, digest), round);
        // The state's Retry waits the backoff (the same schedule HealthVerdict gives the lifecycle hook).
        if (verdict instanceof HealthVerdict.Healthy healthy) {
            return healthy.report();
        }
        if (verdict instanceof HealthVerdict.Pending pending) {
            throw new HealthCheckPendingException(pending.detail());
        }
        throw new HealthCheckFailedException(((HealthVerdict.Unhealthy) verdict).detail());
    }
}
