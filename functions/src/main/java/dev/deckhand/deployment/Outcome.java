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
    /** A person rejected the deployment when it waited for approval; nothing changed. */
    REJECTED,
    /** Nobody answered the approval request in time ({@code onTimeout: reject}); nothing changed. */
    EXPIRED,
    /**
     * Not an end: the deployment waits for a person's approval. Only reported (the notification
     * that asks for the answer), never recorded as an attempt's outcome.
     */
    AWAITING_APPROVAL,
    /** The execution was stopped, timed out or failed without reporting (found by the cleanup). */
    ABORTED;

    public boolean isFinal() {
        return this != RUNNING && this != AWAITING_APPROVAL;
    }

    /** An attempt that ended like this may be tried again by a deliberate rerun. */
    public boolean isRetryable() {
        return this == FAILED || this == ROLLED_BACK || this == ROLLBACK_FAILED || this == SUPERSEDED || this == ABORTED
                || this == REJECTED || this == EXPIRED;
    }
}
