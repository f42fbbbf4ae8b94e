package dev.deckhand.errors;

/**
 * A deliberate rollback that cannot go where it was asked: an unknown service or environment,
 * a deployment or digest never verified in that environment, nothing earlier to return to, an
 * image no longer in ECR. Never retried.
 */
public final class RollbackRefusedException extends DeckhandException {

    public RollbackRefusedException(String message) {
        super(message);
    }
}
