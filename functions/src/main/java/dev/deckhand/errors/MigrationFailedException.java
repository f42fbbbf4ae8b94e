package dev.deckhand.errors;

/** The migration task's container exited non-zero, or the task stopped before it ran, or it ran past its timeout. Never retried. */
public final class MigrationFailedException extends DeckhandException {

    public MigrationFailedException(String message) {
        super(message);
    }
}
