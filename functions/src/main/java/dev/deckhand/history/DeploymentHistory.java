package dev.deckhand.history;

import java.util.List;
import java.util.Optional;

/** The deployment history: claims, attempts and the last verified revision of every target. */
public interface DeploymentHistory {

    Optional<ClaimRecord> latestAttempt(String deploymentId);

    /**
     * Records {@code next} as the deployment's latest attempt, if the latest attempt is still
     * {@code expected} (empty: there was none). Returns false when another execution got there first.
     */
    boolean claim(String deploymentId, Optional<ClaimRecord> expected, ClaimRecord next, AttemptRecord attempt);

    /** Writes an attempt's final record; the latest-attempt pointer follows if it still names this execution. */
    void finish(AttemptRecord attempt);

    /**
     * Marks the attempt an execution claimed as {@code ABORTED}, if it is still that execution's
     * and still RUNNING (the execution was stopped, failed or timed out without reporting).
     *
     * @return the deployment id of the aborted attempt
     */
    Optional<String> abortClaimOf(String executionArn, java.time.Instant at);

    Optional<VerifiedRevision> lastVerified(String service, String environment);

    void markVerified(String service, String environment, VerifiedRevision revision);

    Optional<AttemptRecord> attempt(String deploymentId, int attempt);

    /** Attempts for a target, newest first. */
    List<AttemptRecord> recent(String service, String environment, int limit);

    /** One page of a target's attempts, newest first; {@code nextToken} null on the first page. */
    Page page(String service, String environment, int limit, String nextToken);

    /** A page of attempts and the token of the next one ({@code null} on the last page). */
    record Page(List<AttemptRecord> attempts, String nextToken) {
    }
}
