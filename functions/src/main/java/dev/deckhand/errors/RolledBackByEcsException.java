package dev.deckhand.errors;

/**
 * ECS rolled a blue-green, linear or canary deployment back (its service deployment ended
 * ROLLBACK_SUCCESSFUL): production traffic is on the previous revision again, so Deckhand records
 * ROLLED_BACK without a rollback of its own. Never retried.
 */
public final class RolledBackByEcsException extends DeckhandException {

    public RolledBackByEcsException(String message) {
        super(message);
    }
}
