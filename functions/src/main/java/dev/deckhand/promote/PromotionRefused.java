package dev.deckhand.promote;

/**
 * A promotion Deckhand will not start, with the HTTP status the API answers and a message that
 * says exactly why. It is an answer, not an error of the handler.
 */
public final class PromotionRefused extends RuntimeException {

    private final int status;

    public PromotionRefused(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
