package dev.deckhand.promote;

/**
 * A promotion Deckhand will not start, with the HTTP status the API answers and a message that
 * says exactly why. It is an answer, not an error of the handler.
 */
public final class PromotionRefused extends RuntimeException {

    private final int status;
    private final java.time.Instant notBefore;

    public PromotionRefused(int status, String message) {
        this(status, message, null);
    }

    /** @param notBefore when the same request will be accepted (a soak time that has not passed), or {@code null} */
    public PromotionRefused(int status, String message, java.time.Instant notBefore) {
        super(message);
        this.status = status;
        this.notBefore = notBefore;
    }

    public int status() {
        return status;
    }

    /** When the same request will be accepted, or {@code null} when waiting will not help. */
    public java.time.Instant notBefore() {
        return notBefore;
    }
}
