package dev.deckhand.errors;

/** The verification task exited non-zero, never ran, or ran past its timeout: the release is rolled back. */
public final class VerificationFailedException extends DeckhandException {

    public VerificationFailedException(String message) {
        super(message);
    }
}
