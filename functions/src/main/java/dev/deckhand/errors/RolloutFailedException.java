package dev.deckhand.errors;

/** ECS did not bring Deckhand's revision to a steady state: the rollout failed, ECS rolled it back, or another deployment replaced it. Never retried. */
public final class RolloutFailedException extends DeckhandException {

    public RolloutFailedException(String message) {
        super(message);
    }
}
