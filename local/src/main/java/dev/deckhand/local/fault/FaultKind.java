package dev.deckhand.local.fault;

/** What an injected fault does to a request (or, for the per-entry kinds, to one entry of it). */
public enum FaultKind {
    /** Answers the service's throttling error, which the SDK retries with backoff. */
    THROTTLE,
    /** Answers a 500 internal error, which the SDK retries. */
    SERVER_ERROR,
    /** Delays the answer by the rule's latency; the request then proceeds. */
    LATENCY,
    /** Closes the connection without any answer. */
    DROP,
    /**
     * EventBridge PutEvents: one entry fails with ErrorCode {@code ThrottlingException} while the
     * call succeeds ("eb-putevents", Handling failures with PutEvents).
     */
    ENTRY_THROTTLED,
    /** EventBridge PutEvents: one entry fails with ErrorCode {@code InternalFailure}. */
    ENTRY_INTERNAL_FAILURE,
    /**
     * DynamoDB: a write answers {@code TransactionConflictException} ("Operation was rejected
     * because there is an ongoing transaction for the item").
     */
    TRANSACTION_CONFLICT,
    /** DynamoDB TransactWriteItems: cancelled with reason {@code ConditionalCheckFailed}. */
    CANCEL_CONDITIONAL_CHECK_FAILED,
    /** DynamoDB TransactWriteItems: cancelled with reason {@code TransactionConflict}. */
    CANCEL_TRANSACTION_CONFLICT,
    /** DynamoDB TransactWriteItems: cancelled with reason {@code ThrottlingError}. */
    CANCEL_THROTTLING_ERROR,
    /** DynamoDB TransactWriteItems: cancelled with reason {@code ProvisionedThroughputExceeded}. */
    CANCEL_PROVISIONED_THROUGHPUT_EXCEEDED,
    /** DynamoDB TransactWriteItems: cancelled with reason {@code ValidationError}. */
    CANCEL_VALIDATION_ERROR;

    /** Whether the fault hits single entries of a batch (drawn per entry by the service), not the request. */
    public boolean perEntry() {
        return this == ENTRY_THROTTLED || this == ENTRY_INTERNAL_FAILURE;
    }
}
