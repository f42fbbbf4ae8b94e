package dev.deckhand.statemachine;

/** Execution statuses as the Step Functions API names them (DescribeExecution {@code status}). */
public enum ExecutionStatus {
    RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE
}
