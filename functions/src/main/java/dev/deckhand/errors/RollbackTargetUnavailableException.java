package dev.deckhand.errors;

/**
 * The last verified revision cannot be run again (its image is gone from ECR), so the rollback is
 * refused before it changes the service: the deployment ends ROLLBACK_FAILED saying why.
 */
public final class RollbackTargetUnavailableException extends DeckhandException {

    public RollbackTargetUnavailableException(String message) {
        super(message);
    }
}
