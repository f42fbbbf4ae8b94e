package dev.deckhand.errors;

/**
 * Base of every error Deckhand names on purpose. The Java Lambda runtime reports a thrown
 * exception's fully qualified class name as the error type, so the subclasses' names are part of
 * the contract with {@code deployer.asl.json} ({@code ErrorEquals}). Messages are written for the
 * operator who reads them in the console: they say what is wrong and never carry secrets.
 */
public abstract class DeckhandException extends RuntimeException {

    protected DeckhandException(String message) {
        super(message);
    }

    protected DeckhandException(String message, Throwable cause) {
        super(message, cause);
    }
}
