package dev.deckhand.coordinate;

import java.time.Instant;

/**
 * One deployment per service environment, with the semantics of GitHub Actions concurrency
 * groups: one running, one pending, and a newer request replaces the pending one, which ends
 * SUPERSEDED. The running deployment is never cancelled. The lock remembers the newest request it
 * ever saw (running, pending or finished), so a request older than that — a push delivered late —
 * ends SUPERSEDED instead of overwriting a newer image. A holder whose lease expired (its
 * execution died and the cleanup never ran) loses the lock.
 */
public final class Locks {

    private Locks() {
    }

    public static LockDecision decide(LockState lock, LockRequest me, Instant now) {
        if (me.executionArn().equals(lock.holder())) {
            return LockDecision.HOLD;
        }
        if (lock.newest() != null && !lock.newest().executionArn().equals(me.executionArn())
                && lock.newest().isNewerThan(me)) {
            return LockDecision.SUPERSEDED;
        }
        boolean free = lock.holder() == null || (lock.leaseExpiresAt() != null && !now.isBefore(lock.leaseExpiresAt()));
        return free ? LockDecision.HOLD : LockDecision.WAIT;
    }
}
