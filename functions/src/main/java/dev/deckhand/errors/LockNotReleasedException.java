package dev.deckhand.errors;

/**
 * The outcome is recorded, but the lock could not be released after it: the definition then
 * releases it in a step of its own ("Release the lock after success"), never records the
 * recorded success again as a failure.
 */
public final class LockNotReleasedException extends DeckhandException {

    public LockNotReleasedException(String message, Throwable cause) {
        super(message, cause);
    }
}
