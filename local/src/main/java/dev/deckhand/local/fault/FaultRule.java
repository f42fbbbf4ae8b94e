package dev.deckhand.local.fault;

import java.time.Duration;
import java.util.Objects;

/**
 * One fault to inject: for requests to {@code service} (an {@code X-Amz-Target} prefix such as
 * {@code AmazonSSM} or {@code DynamoDB_20120810}, a query-protocol service's signing name such as
 * {@code sns}, or {@code *}) and {@code operation} (e.g. {@code GetParameter}, or {@code *}), a
 * fraction {@code rate} of them (0 to 1) get {@code kind}.
 */
public record FaultRule(String service, String operation, FaultKind kind, double rate, Duration latency) {

    public static final String ANY = "*";

    public FaultRule {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(latency, "latency");
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("A fault rate is a fraction between 0 and 1, not " + rate);
        }
        if (latency.isNegative()) {
            throw new IllegalArgumentException("A fault latency cannot be negative: " + latency);
        }
    }

    /** Throttles a fraction of the requests. */
    public static FaultRule throttle(String service, String operation, double rate) {
        return new FaultRule(service, operation, FaultKind.THROTTLE, rate, Duration.ZERO);
    }

    /** Answers a fraction of the requests with a 500 internal error. */
    public static FaultRule serverError(String service, String operation, double rate) {
        return new FaultRule(service, operation, FaultKind.SERVER_ERROR, rate, Duration.ZERO);
    }

    /** Delays a fraction of the requests. */
    public static FaultRule latency(String service, String operation, double rate, Duration latency) {
        return new FaultRule(service, operation, FaultKind.LATENCY, rate, latency);
    }

    /** Drops the connection of a fraction of the requests without answering. */
    public static FaultRule drop(String service, String operation, double rate) {
        return new FaultRule(service, operation, FaultKind.DROP, rate, Duration.ZERO);
    }

    /**
     * Loses a fraction of the events a rule would deliver to its targets ({@code "*"} for every
     * rule), as if EventBridge had dropped them: only rules made here drop deliveries, never a
     * rule for every service.
     */
    public static FaultRule dropDeliveries(String ruleName, double rate) {
        return new FaultRule(DELIVERIES, ruleName, FaultKind.DROP, rate, Duration.ZERO);
    }

    /** The pseudo-service of {@link #dropDeliveries}: a rule's delivery, not a request to an API. */
    public static final String DELIVERIES = "EventBridge rule delivery";

    /**
     * Fails a fraction of the entries of a batch request ({@link FaultKind#ENTRY_THROTTLED} or
     * {@link FaultKind#ENTRY_INTERNAL_FAILURE}, e.g. for {@code AWSEvents}/{@code PutEvents}) while the
     * request itself succeeds.
     */
    public static FaultRule failEntries(String service, String operation, FaultKind kind, double rate) {
        if (!kind.perEntry()) {
            throw new IllegalArgumentException(kind + " is not a per-entry fault");
        }
        return new FaultRule(service, operation, kind, rate, Duration.ZERO);
    }

    /**
     * Answers a fraction of DynamoDB requests with {@code kind}: {@link FaultKind#TRANSACTION_CONFLICT}
     * for a plain write, or one of the {@code CANCEL_*} kinds for TransactWriteItems.
     */
    public static FaultRule dynamoDb(String operation, FaultKind kind, double rate) {
        return new FaultRule("DynamoDB_20120810", operation, kind, rate, Duration.ZERO);
    }

    boolean appliesTo(String requestService, String requestOperation) {
        return (service.equals(ANY) || service.equals(requestService))
                && (operation.equals(ANY) || operation.equals(requestOperation));
    }
}
