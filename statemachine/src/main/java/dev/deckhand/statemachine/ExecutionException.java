package dev.deckhand.statemachine;

/**
 * A Step Functions API call on executions the engine refuses, with the API error code
 * ({@code ExecutionAlreadyExists}, {@code ExecutionDoesNotExist}, {@code StateMachineDoesNotExist},
 * {@code ExecutionNotRedrivable}, {@code InvalidName}, {@code InvalidExecutionInput}).
 */
public class ExecutionException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String errorCode;

    ExecutionException(String errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    /** The API error code, e.g. {@code ExecutionAlreadyExists}. */
    public String errorCode() {
        return errorCode;
    }
}
