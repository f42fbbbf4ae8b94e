package dev.deckhand.local.fault;

/** What an injected fault does to a request. */
public enum FaultKind {
    /** Answers the service's throttling error, which the SDK retries with backoff. */
    THROTTLE,
    /** Answers a 500 internal error, which the SDK retries. */
    SERVER_ERROR,
    /** Delays the answer by the rule's latency; the request then proceeds. */
    LATENCY,
    /** Closes the connection without any answer. */
    DROP
}
