package dev.deckhand.statemachine;

/**
 * A named ASL error with its cause, as Retry and Catch match it
 * (https://states-language.net/spec.html#errors).
 *
 * <p>Task resources throw it to fail a task with a chosen error name, for example
 * {@code throw new StatesError("Deploy.RolloutFailed", "circuit breaker triggered")}.
 */
public class StatesError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The predefined error names of https://states-language.net/spec.html#appendix-a. */
    public static final String ALL = "States.ALL";
    public static final String TASK_FAILED = "States.TaskFailed";
    public static final String TIMEOUT = "States.Timeout";
    public static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";
    public static final String RUNTIME = "States.Runtime";
    public static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
    public static final String QUERY_EVALUATION_ERROR = "States.QueryEvaluationError";
    public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
    public static final String RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";
    public static final String PARAMETER_PATH_FAILURE = "States.ParameterPathFailure";
    public static final String BRANCH_FAILED = "States.BranchFailed";
    public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";
    /** A Distributed Map's failed items exceeded its tolerated failure threshold (maprun-fail-threshold.html). */
    public static final String EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold";

    private final String error;
    private final String errorCause;

    /** An error with a name and a human-readable cause (either may be {@code null}). */
    public StatesError(String error, String cause) {
        super(error + (cause == null ? "" : ": " + cause));
        this.error = error;
        this.errorCause = cause;
    }

    /** The error name, matched by ErrorEquals. */
    public String error() {
        return error;
    }

    /** The cause text, or {@code null}. */
    public String cause() {
        return errorCause;
    }
}
