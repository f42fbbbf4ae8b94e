package dev.deckhand.errors;

/**
 * An AWS call failed in a way that may pass on a later try (throttling, a 5xx, a dropped
 * connection) after the SDK's own retries. The state machine retries it with backoff and jitter.
 */
public final class TransientAwsException extends DeckhandException {

    public TransientAwsException(String message, Throwable cause) {
        super(message, cause);
    }
}
