package dev.deckhand.errors;

/**
 * ECS tried to roll a blue-green, linear or canary deployment back and failed (its service
 * deployment ended ROLLBACK_FAILED): the service needs a person. Never retried.
 */
public final class EcsRollbackFailedException extends DeckhandException {

    public EcsRollbackFailedException(String message) {
        super(message);
    }
}
