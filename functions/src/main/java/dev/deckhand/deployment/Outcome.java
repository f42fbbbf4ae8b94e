package dev.deckhand.deployment;

/** How a deployment attempt ended, or that it has not ended yet. */
public enum Outcome {
    RUNNING,
    SUCCEEDED,
    FAILED,
    ROLLED_BACK,
    ROLLBACK_FAILED,
    IGNORED,
    DUPLICATE,
    SUPERSEDED,
    /** The execution was stopped, timed out or failed without reporting (found by the cleanup). */
    ABORTED;

    public boolean isFinal() {
        return this != RUNNING;
    }

    /** An attempt that ended like this may be tried again by a deliberate rerun. */
    public boolean isRetryable() {
        return this == FAILED || this == ROLLED_BACK || this == ROLLBACK_FAILED || this == SUPERSEDED || this == ABORTED;
    }
}
