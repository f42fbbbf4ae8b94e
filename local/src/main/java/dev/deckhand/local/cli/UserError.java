package dev.deckhand.local.cli;

/** A mistake the user can fix (a missing file, a bad argument), reported as one line and a hint. */
final class UserError extends RuntimeException {

    private final String hint;
    private final int exitCode;

    UserError(String message, String hint) {
        this(message, hint, DeckhandCommand.EXIT_USAGE);
    }

    UserError(String message, String hint, int exitCode) {
        super(message);
        this.hint = hint;
        this.exitCode = exitCode;
    }

    String hint() {
        return hint;
    }

    int exitCode() {
        return exitCode;
    }
}
