package dev.deckhand.coordinate;

/** What an execution does with a deployment id, decided by {@link Claims#decide}. */
public sealed interface ClaimDecision {

    /**
     * Go on with this attempt.
     *
     * @param resumed the execution already held this attempt (a redrive, or a retried step)
     */
    record Proceed(int attempt, boolean resumed) implements ClaimDecision {
    }

    /** Another execution runs, or already delivered, this very deployment: change nothing. */
    record Duplicate(String reason, String executionArn) implements ClaimDecision {
    }
}
