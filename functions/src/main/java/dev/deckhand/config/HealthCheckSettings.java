package dev.deckhand.config;

/**
 * How Deckhand decides that a deployed revision is healthy: {@code consecutiveSuccesses} answers
 * in a row from {@code url} with {@code expectedStatus} (and, when set, a body containing
 * {@code bodyContains}), within {@code maxAttempts} probe rounds. The wait between rounds is the
 * state machine's Retry schedule (1, 2, 4 … 60 s), not a setting.
 *
 * @param bodyContains text the body must contain, or {@code null} for any body
 */
public record HealthCheckSettings(
        String url,
        int expectedStatus,
        String bodyContains,
        int consecutiveSuccesses,
        int maxAttempts,
        int timeoutSeconds) {

    public static final int DEFAULT_EXPECTED_STATUS = 200;
    public static final int DEFAULT_CONSECUTIVE_SUCCESSES = 3;
    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    public static final int DEFAULT_TIMEOUT_SECONDS = 5;

    /**
     * The longest one round of probes may take: the "Verify health" step of the definition gives
     * its Lambda 120 s (a test holds the two together), and a round that cannot finish would time
     * out instead of judging health.
     */
    public static final int MAX_ROUND_SECONDS = 110;

    /** The longest one round can take: every probe answering just before its timeout, 1 s apart. */
    public int worstRoundSeconds() {
        return consecutiveSuccesses * (timeoutSeconds + 1);
    }
}
