package dev.deckhand.coordinate;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The per-target lock, kept where every execution sees it (DynamoDB). */
public interface DeploymentLocks {

    /** Registers the request (the newest wins), then takes the lock if {@link Locks} says so. */
    LockDecision acquire(String target, LockRequest request, Instant now, Duration lease);

    /** Releases the lock if this execution holds it; releasing twice is harmless. */
    void release(String target, String executionArn);

    /** The target whose lock an execution took, for the cleanup of dead executions. */
    Optional<String> targetHeldBy(String executionArn);
}
