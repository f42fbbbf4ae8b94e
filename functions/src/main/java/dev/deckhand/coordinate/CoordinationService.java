package dev.deckhand.coordinate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.deployment.Trigger;
import dev.deckhand.errors.ClaimContendedException;
import dev.deckhand.freeze.AdHocFreezeService;
import dev.deckhand.freeze.AdHocFreezes;
import dev.deckhand.freeze.FreezeSettings;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.ClaimRecord;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.resolve.RequestTime;
import dev.deckhand.wait.Callbacks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Claims deployments and serializes them per target, with the decisions of {@link Claims} and {@link Locks}. */
public final class CoordinationService {

    /**
     * How long a lock is held without its gates: the migration, rollout, health check and their
     * retries. A lock outlives a holder that died unnoticed by at most its lease (the dead-execution
     * rule releases it at once otherwise).
     */
    public static final Duration LEASE = Duration.ofHours(4);
    private static final int CLAIM_TRIES = 5;

    private final DeploymentHistory history;
    private final DeploymentLocks locks;
    private final Clock clock;
    private final Callbacks callbacks;
    private final AdHocFreezeService adHocFreezes;

    /** Without callbacks: for uses that never wait for the lock by token (a wake then fails loudly). */
    public CoordinationService(DeploymentHistory history, DeploymentLocks locks, Clock clock) {
        this(history, locks, clock, (token, output) -> {
            throw new IllegalStateException("this coordination service cannot wake waiting executions");
        });
    }

    /** Without ad-hoc freezes: only the configured windows freeze. */
    public CoordinationService(DeploymentHistory history, DeploymentLocks locks, Clock clock, Callbacks callbacks) {
        this(history, locks, clock, callbacks, AdHocFreezes.NONE);
    }

    public CoordinationService(DeploymentHistory history, DeploymentLocks locks, Clock clock, Callbacks callbacks,
            AdHocFreezes adHocFreezes) {
        this.history = history;
        this.locks = locks;
        this.clock = clock;
        this.callbacks = callbacks;
        this.adHocFreezes = new AdHocFreezeService(adHocFreezes, clock);
    }

    /**
     * The answer of "Claim the deployment".
     *
     * @param requestedAt when this attempt was asked for ({@link RequestTime#ofAttempt}), which
     *     orders it in the lock queue; {@code null} for a duplicate
     */
    public record Claim(String decision, int attempt, boolean resumed, String reason, String executionArn,
            Instant requestedAt) {
    }

    public Claim claim(DeploymentTarget target, String executionArn, Instant startedAt) {
        String id = target.deploymentId().value();
        for (int i = 0; i < CLAIM_TRIES; i++) {
            Optional<ClaimRecord> latest = history.latestAttempt(id);
            boolean serving = history.lastVerified(target.service(), target.environment())
                    .filter(verified -> verified.verifiedOn(target.cluster(), target.ecsService()))
                    .map(VerifiedRevision::deploymentId).filter(id::equals).isPresent();
            ClaimDecision decision = Claims.decide(latest, executionArn, serving);
            if (decision instanceof ClaimDecision.Duplicate duplicate) {
                return new Claim("DUPLICATE", latest.map(ClaimRecord::attempt).orElse(0), false, duplicate.reason(),
                        duplicate.executionArn(), null);
            }
            ClaimDecision.Proceed proceed = (ClaimDecision.Proceed) decision;
            Instant requestedAt = RequestTime.ofAttempt(proceed.attempt(), target.requestedAt(), startedAt);
            if (proceed.resumed()) {
                return new Claim("PROCEED", proceed.attempt(), true, "this execution resumes attempt "
                        + proceed.attempt(), executionArn, requestedAt);
            }
            ClaimRecord next = new ClaimRecord(proceed.attempt(), Outcome.RUNNING, executionArn, startedAt);
            if (history.claim(id, latest, next, running(target, next))) {
                return new Claim("PROCEED", proceed.attempt(), false, latest.isEmpty() ? "first attempt"
                        : "attempt " + proceed.attempt() + " after " + latest.get().outcome(), executionArn, requestedAt);
            }
            // Another execution claimed between our read and write: decide again on what it wrote.
        }
        throw new ClaimContendedException("deployment " + id + " is being claimed by several executions at once ("
                + CLAIM_TRIES + " tries lost); the state machine retries this step");
    }

    /**
     * The answer of "Claim the deployment and take the lock": the claim, and the lock's answer
     * ({@code null} for a duplicate, which takes no lock) and, when it is {@code FROZEN}, the freeze.
     */
    public record ClaimedAndLocked(String decision, int attempt, boolean resumed, String reason, String executionArn,
            Instant requestedAt, String lock, FrozenAnswer freeze) {
    }

    /**
     * Claims the deployment, then takes the lock in the order of the claim's {@code requestedAt}.
     * A retried step claims again as the same execution (it resumes its own attempt) and finds
     * the lock it holds, so the pair is safe to retry.
     */
    public ClaimedAndLocked claimAndLock(DeploymentTarget target, String executionArn, Instant startedAt) {
        Claim claim = claim(target, executionArn, startedAt);
        LockAnswer lock = "DUPLICATE".equals(claim.decision()) ? new LockAnswer(null)
                : acquire(target, executionArn, claim.requestedAt());
        return new ClaimedAndLocked(claim.decision(), claim.attempt(), claim.resumed(), claim.reason(),
                claim.executionArn(), claim.requestedAt(), lock.lock(), lock.freeze());
    }

    /**
     * The answer of "Take the environment's lock".
     *
     * @param lock a {@link LockDecision}, or {@code FROZEN}: the lock was free but the environment
     *     is in a freeze, so it was given back (a newer request can take it and supersede this one)
     * @param freeze the freeze, when {@code lock} is {@code FROZEN}; otherwise {@code null}
     */
    public record LockAnswer(String lock, FrozenAnswer freeze) {
        LockAnswer(String lock) {
            this(lock, null);
        }
    }

    /**
     * @param until when the freeze ends, which "Wait for the freeze to end" waits for
     * @param whenFrozen {@code WAIT} or {@code REFUSE}, the environment's choice
     */
    public record FrozenAnswer(Instant until, String reason, String whenFrozen) {
    }

    /**
     * The lease of {@code target}'s lock: {@link #LEASE} plus the longest its gates may hold it (the
     * approval's timeout, the alarm gate's wait, the verification task's timeout), so a live holder
     * never outlasts its lease and a newer request never takes the lock from under it.
     */
    static Duration leaseOf(DeploymentTarget target) {
        Duration lease = LEASE;
        if (target.approval() != null) {
            lease = lease.plusSeconds(target.approval().timeoutSeconds());
        }
        if (target.gate() != null) {
            lease = lease.plusMinutes(target.gate().maxWaitMinutes());
        }
        if (target.verification() != null) {
            lease = lease.plusSeconds(target.verification().timeoutSeconds());
        }
        return lease;
    }

    /**
     * Takes the lock, then checks the environment's freeze windows: after the lock, so the check
     * sees the time the deployment would really start, and before anything changes. Checking here
     * costs an environment nothing extra: it is the same Lambda invocation as the lock. A deliberate
     * rollback is not held by a freeze: it returns to what was verified, the way out of an incident;
     * nor is a promotion with a break-glass override, which the promote API admitted and recorded.
     *
     * @param requestedAt the claim's {@code requestedAt}: when the request was made, not when this execution started
     */
    public LockAnswer acquire(DeploymentTarget target, String executionArn, Instant requestedAt) {
        LockRequest request = new LockRequest(executionArn, target.deploymentId().value(), requestedAt);
        Instant now = clock.instant();
        LockDecision decision = locks.acquire(key(target), request, now, leaseOf(target));
        if (decision != LockDecision.HOLD || target.trigger() == Trigger.ROLLBACK || target.breakGlass() != null) {
            return new LockAnswer(decision.name());
        }
        Optional<FreezeSettings.Freeze> freeze = frozenAt(target, now);
        if (freeze.isEmpty()) {
            return new LockAnswer(decision.name());
        }
        // Given back while frozen: a newer request may take it meanwhile, which supersedes this one.
        releaseAndWake(key(target), executionArn);
        // An environment without windows has no whenFrozen: an ad-hoc freeze there is waited out.
        String whenFrozen = (target.freeze() == null ? FreezeSettings.WhenFrozen.WAIT
                : target.freeze().whenFrozen()).name();
        return new LockAnswer("FROZEN", new FrozenAnswer(freeze.get().until(), freeze.get().reason(), whenFrozen));
    }

    /**
     * The freeze at {@code now}: a configured window's or an ad-hoc one; when both, the one that
     * ends later (the lock step runs again after the Wait, so the other is met then if it lasts).
     */
    private Optional<FreezeSettings.Freeze> frozenAt(DeploymentTarget target, Instant now) {
        Optional<FreezeSettings.Freeze> window = target.freeze() == null ? Optional.empty()
                : target.freeze().freezeAt(now);
        Optional<FreezeSettings.Freeze> adHoc = adHocFreezes.freezeAt(target.service(), target.environment(), now);
        if (window.isEmpty() || adHoc.isEmpty()) {
            return adHoc.isPresent() ? adHoc : window;
        }
        return adHoc.get().until().isAfter(window.get().until()) ? adHoc : window;
    }

    /**
     * Waits for the lock by token ("Wait for the running deployment"): the token becomes the lock's
     * one waiter, and the waiter it replaces (an older request) is woken at once, to find itself
     * SUPERSEDED. Then the lock is tried once more: it may have been released before the token was
     * stored, and then nobody else would wake it. Whenever this execution need not wait, its own
     * token is woken here; the state then takes the lock again.
     */
    public LockAnswer awaitLock(DeploymentTarget target, String executionArn, Instant requestedAt, String token) {
        String key = key(target);
        DeploymentLocks.WaiterSwap swap = locks.storeWaiter(key, executionArn, token);
        swap.replaced().filter(older -> !older.equals(token))
                .ifPresent(older -> callbacks.wake(older, "{\"lock\":\"NEWER_REQUEST_WAITS\"}"));
        // The holder still waits for a person's approval of an older request: this one supersedes it,
        // and its release hands the lock over (a holder past its approval ignores the late wake).
        swap.holderApproval().ifPresent(holder -> callbacks.wake(holder, SUPERSEDED_APPROVAL));
        String decision = swap.stored() ? acquire(target, executionArn, requestedAt).lock() : LockDecision.SUPERSEDED.name();
        if (decision.equals(LockDecision.WAIT.name())) {
            return new LockAnswer("WAITING");
        }
        locks.forgetWaiter(key, token);
        callbacks.wake(token, "{\"lock\":\"" + decision + "\"}");
        return new LockAnswer(decision);
    }

    /**
     * "Wait for approval": stores the token on the lock this execution holds, where the approval API
     * and a newer request find it. A newer request that already waits for the lock supersedes this
     * one at once (it found no token to wake when it started waiting).
     *
     * @return {@code WAITING_FOR_APPROVAL}, or {@code SUPERSEDED} when the token was woken at once
     */
    public LockAnswer awaitApproval(DeploymentTarget target, String executionArn, String token) {
        boolean newerWaits = locks.storeApproval(key(target), executionArn, target.deploymentId().value(), token);
        if (newerWaits) {
            callbacks.wake(token, SUPERSEDED_APPROVAL);
            return new LockAnswer("SUPERSEDED");
        }
        return new LockAnswer("WAITING_FOR_APPROVAL");
    }

    /** What a superseded "Wait for approval" receives: the definition then records SUPERSEDED. */
    static final String SUPERSEDED_APPROVAL = "{\"decision\":\"SUPERSEDED\"}";

    /** Releases the lock and wakes its waiter, which then takes it. */
    public void release(DeploymentTarget target, String executionArn) {
        releaseAndWake(key(target), executionArn);
    }

    private boolean releaseAndWake(String key, String executionArn) {
        Optional<String> waiter = locks.release(key, executionArn);
        waiter.ifPresent(token -> {
            locks.forgetWaiter(key, token);
            // A waiter whose execution was stopped meanwhile is gone: nothing to wake, the lock is free.
            callbacks.wake(token, "{\"lock\":\"RELEASED\"}");
        });
        return waiter.isPresent();
    }

    /** What the cleanup of a dead execution did. */
    public record Cleanup(boolean lockReleased, String abortedDeployment) {
    }

    /**
     * Releases whatever a dead execution (stopped, failed, timed out) still holds: its lock, and
     * its claim on the deployment, which becomes ABORTED so a later request can retry it.
     */
    public Cleanup releaseDeadExecution(String executionArn) {
        Optional<String> target = locks.targetHeldBy(executionArn);
        target.ifPresent(key -> releaseAndWake(key, executionArn));
        Optional<String> aborted = history.abortClaimOf(executionArn, clock.instant());
        return new Cleanup(target.isPresent(), aborted.orElse(null));
    }

    /** The ECS service is part of the key: an environment moved to another ECS service starts a new queue. */
    static String key(DeploymentTarget target) {
        return lockKey(target.service(), target.environment(), target.cluster(), target.ecsService());
    }

    /** The lock of a configured environment, as the approval API finds the deployment waiting on it. */
    public static String lockKey(String service, String environment, String cluster, String ecsService) {
        return service + "#" + environment + "#" + cluster + "/" + ecsService;
    }

    private static AttemptRecord running(DeploymentTarget target, ClaimRecord claim) {
        return new AttemptRecord(target.deploymentId().value(), claim.attempt(), Outcome.RUNNING, target.service(),
                target.environment(), target.image().uri(), target.image().tag(), target.trigger().label(),
                target.requestedBy(), claim.executionArn(), claim.startedAt(), null, target.reason(),
                JsonNodeFactory.instance.objectNode());
    }
}
