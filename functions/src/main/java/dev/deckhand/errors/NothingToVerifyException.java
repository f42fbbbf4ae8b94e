package dev.deckhand.errors;

/**
 * The ECS service runs no task (desired count 0), so no rollout or health check could say the new
 * revision works: Deckhand refuses to deploy it rather than report a success it never observed.
 */
public final class NothingToVerifyException extends DeckhandException {

    public NothingToVerifyException(String message) {
        super(message);
    }
}
