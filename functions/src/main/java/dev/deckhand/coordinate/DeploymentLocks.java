package dev.deckhand.coordinate;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The per-target lock, kept where every execution sees it (DynamoDB). */
public interface DeploymentLocks {

    /** Registers the request (the newest wins), then takes the lock if {@link Locks} says so. */
    LockDecision acquire(String target, LockRequest request, Instant now, Duration lease);

    /**
     * Releases the lock if this execution holds it; releasing twice is harmless.
     *
     * @return the token of the execution waiting for the lock, to wake, when this call released it
     */
    Optional<String> release(String target, String executionArn);

    /**
     * Stores {@code token} as the one waiter of the lock, if this execution is the newest request
     * (only the newest may wait: the others are superseded).
     */
    WaiterSwap storeWaiter(String target, String executionArn, String token);

    /** Forgets the waiter's token if it is still {@code token}. */
    void forgetWaiter(String target, String token);

    /**
     * @param stored whether the token is now the lock's waiter
     * @param replaced the older waiter's token it replaced, which that waiter must be woken by
     * @param holderApproval the token of the holder waiting for approval, which a newer request
     *     supersedes: it must be woken too
     */
    record WaiterSwap(boolean stored, Optional<String> replaced, Optional<String> holderApproval) {
        public WaiterSwap(boolean stored, Optional<String> replaced) {
            this(stored, replaced, Optional.empty());
        }
    }

    /**
     * Stores the holder's "Wait for approval" token on the lock it holds, where a newer request
     * (which waits for the lock) and the approval API find it.
     *
     * @return whether a newer request is registered already (the holder is then superseded at once)
     * @throws IllegalStateException when this execution does not hold the lock
     */
    boolean storeApproval(String target, String executionArn, String deploymentId, String token);

    /** The deployment waiting for approval on this lock, if any. */
    Optional<PendingApproval> pendingApproval(String target);

    /**
     * @param deploymentId the deployment that waits
     * @param executionArn its execution
     * @param token its "Wait for approval" task token
     */
    record PendingApproval(String deploymentId, String executionArn, String token) {
    }

    /** The target whose lock an execution took, for the cleanup of dead executions. */
    Optional<String> targetHeldBy(String executionArn);
}
