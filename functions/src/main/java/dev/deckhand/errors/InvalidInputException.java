package dev.deckhand.errors;

/** The input of a step (an event, a promote request) is malformed; retrying cannot help. */
public final class InvalidInputException extends DeckhandException {

    public InvalidInputException(String message) {
        super(message);
    }
}
