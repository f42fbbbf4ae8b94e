package dev.deckhand.errors;

/**
 * A promotion the configuration does not allow: unknown service or environment, a target not
 * promotable from the source, an image from another repository. Never retried.
 */
public final class PromotionRefusedException extends DeckhandException {

    public PromotionRefusedException(String message) {
        super(message);
    }
}
