package dev.deckhand.errors;

/** The service did not answer healthy in this round; the state's Retry probes again after a backoff (1, 2, 4 … 60 s). */
public final class HealthCheckPendingException extends DeckhandException {

    public HealthCheckPendingException(String message) {
        super(message);
    }
}
