package dev.deckhand.approve;

/**
 * An answer to an approval Deckhand will not pass on, with the HTTP status the API answers and a
 * message that says exactly why. Nothing was changed or recorded.
 */
public final class ApprovalRefused extends RuntimeException {

    private final int status;

    public ApprovalRefused(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
