package dev.deckhand.statemachine;

/**
 * A SendTaskSuccess/Failure/Heartbeat call the engine refuses, with the Step Functions API error
 * code ({@code TaskDoesNotExist}, {@code TaskTimedOut} or {@code InvalidToken}).
 */
public class TaskTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String errorCode;

    TaskTokenException(String errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    /** The API error code, e.g. {@code TaskTimedOut}. */
    public String errorCode() {
        return errorCode;
    }
}
