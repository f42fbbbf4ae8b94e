package dev.deckhand.coordinate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** GitHub Actions concurrency semantics: one running, one pending, newest pending wins. */
class LocksTest {

    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final LockRequest RUNNING = new LockRequest("arn:execution:a", "svc.prod.aaaa", T0);
    private static final LockRequest OLDER = new LockRequest("arn:execution:b", "svc.prod.bbbb", T0.plusSeconds(10));
    private static final LockRequest NEWER = new LockRequest("arn:execution:c", "svc.prod.cccc", T0.plusSeconds(20));
    private static final Instant NOW = T0.plusSeconds(30);
    private static final Instant LEASE = T0.plusSeconds(3600);

    @Test
    void aFreeLockIsTaken() {
        assertThat(Locks.decide(new LockState(null, null, OLDER), OLDER, NOW)).isEqualTo(LockDecision.HOLD);
    }

    @Test
    void theHolderKeepsItsLockEvenWhenNewerRequestsArrive() {
        assertThat(Locks.decide(new LockState(RUNNING.executionArn(), LEASE, NEWER), RUNNING, NOW))
                .isEqualTo(LockDecision.HOLD);
    }

    @Test
    void theNewestWaiterWaits() {
        assertThat(Locks.decide(new LockState(RUNNING.executionArn(), LEASE, NEWER), NEWER, NOW))
                .isEqualTo(LockDecision.WAIT);
    }

    @Test
    void anOlderWaiterIsSupersededByANewerOne() {
        assertThat(Locks.decide(new LockState(RUNNING.executionArn(), LEASE, NEWER), OLDER, NOW))
                .isEqualTo(LockDecision.SUPERSEDED);
    }

    @Test
    void anOlderRequestIsSupersededEvenWhenTheLockIsFree() {
        assertThat(Locks.decide(new LockState(null, null, NEWER), OLDER, NOW)).isEqualTo(LockDecision.SUPERSEDED);
    }

    @Test
    void aRequestOlderThanTheRunningDeploymentIsSupersededNotQueued() {
        // An older push delivered late (EventBridge retries delivery for up to 24 h) must not
        // overwrite the newer image that is deploying.
        LockRequest pushedEarlier = new LockRequest("arn:execution:z", "svc.prod.0000", T0.minusSeconds(5));

        assertThat(Locks.decide(new LockState(RUNNING.executionArn(), LEASE, RUNNING), pushedEarlier, NOW))
                .isEqualTo(LockDecision.SUPERSEDED);
    }

    @Test
    void aRequestNewerThanTheRunningDeploymentWaits() {
        assertThat(Locks.decide(new LockState(RUNNING.executionArn(), LEASE, NEWER), NEWER, NOW))
                .isEqualTo(LockDecision.WAIT);
    }

    @Test
    void anExpiredLeaseFreesTheLock() {
        assertThat(Locks.decide(new LockState(RUNNING.executionArn(), NOW, NEWER), NEWER, NOW))
                .isEqualTo(LockDecision.HOLD);
    }

    @Test
    void simultaneousRequestsAreOrderedByDeploymentIdThatIsByDigest() {
        // Started in the opposite order: the execution does not decide, the request does.
        LockRequest lowDigest = new LockRequest("arn:execution:9", "svc.prod.1111", T0);
        LockRequest highDigest = new LockRequest("arn:execution:1", "svc.prod.2222", T0);

        assertThat(highDigest.isNewerThan(lowDigest)).isTrue();
        assertThat(lowDigest.isNewerThan(highDigest)).isFalse();
        assertThat(Locks.decide(new LockState(null, null, highDigest), lowDigest, NOW))
                .isEqualTo(LockDecision.SUPERSEDED);
    }

    @Test
    void twoAttemptsOfOneDeploymentAtOneInstantAreOrderedByExecutionArn() {
        LockRequest first = new LockRequest("arn:execution:1", "svc.prod.1111", T0);
        LockRequest second = new LockRequest("arn:execution:2", "svc.prod.1111", T0);

        assertThat(second.isNewerThan(first)).isTrue();
        assertThat(first.isNewerThan(second)).isFalse();
    }
}
