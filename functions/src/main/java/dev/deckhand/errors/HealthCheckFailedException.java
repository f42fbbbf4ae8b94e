package dev.deckhand.errors;

/** The service stayed unhealthy through every configured probe round; the deployment rolls back. Never retried. */
public final class HealthCheckFailedException extends DeckhandException {

    public HealthCheckFailedException(String message) {
        super(message);
    }
}
