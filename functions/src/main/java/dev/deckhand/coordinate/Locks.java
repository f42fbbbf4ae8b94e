package dev.deckhand.coordinate;

import java.time.Instant;

/**
 * One deployment per service environment, with the semantics of GitHub Actions concurrency
 * groups: one running, one pending, and a newer request replaces the pending one, which ends
 * SUPERSEDED. The running deployment is never cancelled. A holder whose lease expired (its
 * execution died and the cleanup never ran) loses the lock.
 */
public final class Locks {

    private Locks() {
    }

    public static LockDecision decide(LockState lock, LockRequest me, Instant now) {
        if (me.executionArn().equals(lock.holder())) {
            return LockDecision.HOLD;
        }
        // Only a newer *waiting* request supersedes: the holder is running, not pending.
        if (lock.newest() != null && !lock.newest().executionArn().equals(me.executionArn())
                && !lock.newest().executionArn().equals(lock.holder()) && lock.newest().isNewerThan(me)) {
            return LockDecision.SUPERSEDED;
        }
        boolean free = lock.holder() == null || (lock.leaseExpiresAt() != null && !now.isBefore(lock.leaseExpiresAt()));
        return free ? LockDecision.HOLD : LockDecision.WAIT;
    }
}
