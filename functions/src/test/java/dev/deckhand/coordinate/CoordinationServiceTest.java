package dev.deckhand.coordinate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.deployment.Trigger;
import dev.deckhand.errors.ClaimContendedException;
import dev.deckhand.freeze.FreezeSettings;
import dev.deckhand.freeze.FreezeWindow;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.ClaimRecord;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.testing.InMemoryDeploymentHistory;
import dev.deckhand.testing.Targets;
import dev.deckhand.coordinate.DeploymentLocks.PendingApproval;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** CoordinationService over an in-memory history and locks: claims once, locks per target, cleans up the dead. */
class CoordinationServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final String FIRST = "arn:aws:states:eu-west-1:123456789012:execution:deployer:first";
    private static final String SECOND = "arn:aws:states:eu-west-1:123456789012:execution:deployer:second";

    private final InMemoryDeploymentHistory history = new InMemoryDeploymentHistory();
    private final InMemoryLocks locks = new InMemoryLocks();
    private final CoordinationService service = new CoordinationService(history, locks, Clock.fixed(NOW, ZoneOffset.UTC));
    private final DeploymentTarget target = Targets.storefrontDev("feature-x", "ab");

    @Test
    void theFirstClaimProceedsAndRecordsARunningAttempt() {
        CoordinationService.Claim claim = service.claim(target, FIRST, NOW);

        // The target carries no request time of its own, so the attempt is as new as its execution's start.
        assertThat(claim).isEqualTo(new CoordinationService.Claim("PROCEED", 1, false, "first attempt", FIRST,
                NOW));
        assertThat(history.latestAttempt(target.deploymentId().value()).orElseThrow().outcome()).isEqualTo(Outcome.RUNNING);
        assertThat(history.attempt(target.deploymentId().value(), 1).orElseThrow().executionArn()).isEqualTo(FIRST);
    }

    @Test
    void theSameExecutionResumesAndAnotherIsADuplicateWhileItRuns() {
        service.claim(target, FIRST, NOW);

        assertThat(service.claim(target, FIRST, NOW).resumed()).isTrue();
        CoordinationService.Claim duplicate = service.claim(target, SECOND, NOW);
        assertThat(duplicate.decision()).isEqualTo("DUPLICATE");
        assertThat(duplicate.executionArn()).isEqualTo(FIRST);
    }

    @Test
    void aSucceededDeploymentThatStillServesIsADuplicate() {
        service.claim(target, FIRST, NOW);
        history.finish(history.attempt(target.deploymentId().value(), 1).map(attempt -> new AttemptRecord(
                attempt.deploymentId(), 1, Outcome.SUCCEEDED, attempt.service(), attempt.environment(), attempt.image(),
                attempt.tag(), attempt.trigger(), null, FIRST, attempt.startedAt(), NOW, "done", attempt.details()))
                .orElseThrow());
        history.markVerified("storefront", "dev", new VerifiedRevision(target.deploymentId().value(), "td:8",
                target.image().uri(), NOW, "acme-dev/storefront-dev"));

        assertThat(service.claim(target, SECOND, NOW).reason())
                .isEqualTo("this image already deployed successfully and still serves");
    }

    @Test
    void theLockIsKeyedByServiceEnvironmentAndEcsServiceAndReleasedByItsHolder() {
        assertThat(service.acquire(target, FIRST, NOW).lock()).isEqualTo("HOLD");
        assertThat(locks.holders).containsEntry("storefront#dev#acme-dev/storefront-dev", FIRST);

        service.release(target, FIRST);

        assertThat(locks.holders).doesNotContainKey("storefront#dev#acme-dev/storefront-dev");
    }

    @Test
    void aDeadExecutionLosesItsLockAndItsClaimBecomesAborted() {
        service.claim(target, FIRST, NOW);
        service.acquire(target, FIRST, NOW);

        CoordinationService.Cleanup cleanup = service.releaseDeadExecution(FIRST);

        assertThat(cleanup).isEqualTo(new CoordinationService.Cleanup(true, target.deploymentId().value()));
        assertThat(locks.holders).isEmpty();
        assertThat(history.latestAttempt(target.deploymentId().value()).orElseThrow().outcome()).isEqualTo(Outcome.ABORTED);
        assertThat(service.claim(target, SECOND, NOW).attempt()).as("a later request retries it").isEqualTo(2);
    }

    @Test
    void aClaimLostFiveTimesFailsWithTheErrorTheDefinitionRetries() {
        LosingHistory history = new LosingHistory();
        CoordinationService contended = new CoordinationService(history, new InMemoryLocks(), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThatThrownBy(() -> contended.claim(target, "arn:aws:states:us-east-1:123456789012:execution:deployer:a", NOW))
                .isInstanceOf(ClaimContendedException.class).hasMessageContaining("5 tries lost");
        assertThat(history.claims).hasValue(5);
    }

    /** A history in which every claim loses the race (another execution wrote first). */
    private static final class LosingHistory implements DeploymentHistory {

        final AtomicInteger claims = new AtomicInteger();

        @Override
        public Optional<ClaimRecord> latestAttempt(String deploymentId) {
            return Optional.empty();
        }

        @Override
        public boolean claim(String deploymentId, Optional<ClaimRecord> expected, ClaimRecord next, AttemptRecord attempt) {
            claims.incrementAndGet();
            return false;
        }

        @Override
        public void finish(AttemptRecord attempt) {
        }

        @Override
        public Optional<String> abortClaimOf(String executionArn, Instant at) {
            return Optional.empty();
        }

        @Override
        public Optional<VerifiedRevision> lastVerified(String service, String environment) {
            return Optional.empty();
        }

        @Override
        public void markVerified(String service, String environment, VerifiedRevision revision) {
        }

        @Override
        public Optional<AttemptRecord> attempt(String deploymentId, int attempt) {
            return Optional.empty();
        }

        @Override
        public List<AttemptRecord> recent(String service, String environment, int limit) {
            return List.of();
        }

        @Override
        public Page page(String service, String environment, int limit, String nextToken) {
            return new Page(List.of(), null);
        }
    }

    @Test
    void aNewerWaiterWakesTheOlderAtOnceAndTheReleaseWakesTheNewest() {
        List<String> woken = new ArrayList<>();
        CoordinationService waking = new CoordinationService(history, locks, Clock.fixed(NOW, ZoneOffset.UTC),
                (token, output) -> woken.add(token + " " + output));
        assertThat(waking.acquire(target, FIRST, NOW).lock()).isEqualTo("HOLD");

        assertThat(waking.awaitLock(target, SECOND, NOW, "token-second").lock()).isEqualTo("WAITING");
        assertThat(woken).isEmpty();
        assertThat(waking.awaitLock(target, "third", NOW, "token-third").lock()).isEqualTo("WAITING");
        assertThat(woken).containsExactly("token-second {\"lock\":\"NEWER_REQUEST_WAITS\"}");

        waking.release(target, FIRST);

        assertThat(woken).containsExactly("token-second {\"lock\":\"NEWER_REQUEST_WAITS\"}",
                "token-third {\"lock\":\"RELEASED\"}");
        assertThat(locks.waiters).isEmpty();
    }

    @Test
    void aWaiterWhoseLockWasReleasedBeforeItsTokenWasStoredWakesItself() {
        List<String> woken = new ArrayList<>();
        CoordinationService waking = new CoordinationService(history, locks, Clock.fixed(NOW, ZoneOffset.UTC),
                (token, output) -> woken.add(token + " " + output));

        assertThat(waking.awaitLock(target, SECOND, NOW, "token-second").lock()).isEqualTo("HOLD");

        assertThat(woken).containsExactly("token-second {\"lock\":\"HOLD\"}");
        assertThat(locks.waiters).isEmpty();
    }

    @Test
    void aNewerRequestWaitingForTheLockSupersedesTheHolderWaitingForApproval() {
        List<String> woken = new ArrayList<>();
        CoordinationService waking = new CoordinationService(history, locks, Clock.fixed(NOW, ZoneOffset.UTC),
                (token, output) -> woken.add(token + " " + output));
        assertThat(waking.acquire(target, FIRST, NOW).lock()).isEqualTo("HOLD");
        assertThat(waking.awaitApproval(target, FIRST, "token-approval").lock()).isEqualTo("WAITING_FOR_APPROVAL");
        assertThat(woken).isEmpty();

        assertThat(waking.awaitLock(target, SECOND, NOW, "token-second").lock()).isEqualTo("WAITING");

        assertThat(woken).containsExactly("token-approval {\"decision\":\"SUPERSEDED\"}");
        waking.release(target, FIRST);
        assertThat(woken).containsExactly("token-approval {\"decision\":\"SUPERSEDED\"}",
                "token-second {\"lock\":\"RELEASED\"}");
    }

    @Test
    void aHolderThatFindsANewerRequestWaitingIsSupersededAsSoonAsItAsksForApproval() {
        List<String> woken = new ArrayList<>();
        CoordinationService waking = new CoordinationService(history, locks, Clock.fixed(NOW, ZoneOffset.UTC),
                (token, output) -> woken.add(token + " " + output));
        waking.acquire(target, FIRST, NOW);
        locks.newerRequest.put(CoordinationService.key(target), true);

        assertThat(waking.awaitApproval(target, FIRST, "token-approval").lock()).isEqualTo("SUPERSEDED");

        assertThat(woken).containsExactly("token-approval {\"decision\":\"SUPERSEDED\"}");
    }

    @Test
    void aLocksLeaseCoversTheLongestItsGatesMayHoldIt() {
        // A live holder must never outlast its lease: a newer request would take the lock from under it.
        DeploymentTarget gated = new DeploymentTarget(target.deploymentId(), target.trigger(), target.requestedBy(),
                target.service(), target.environment(), target.cluster(), target.ecsService(), target.container(),
                target.image(), target.healthCheck(), target.migration(),
                new dev.deckhand.config.MigrationSettings(List.of("bin/e2e"), "app", 600), target.notifications(),
                target.reason(), target.requestedAt(), target.roleArn(), new dev.deckhand.deployment.ApprovalGate(3 * 3600),
                null, null, new dev.deckhand.gate.AlarmGate(List.of("api-5xx"),
                        dev.deckhand.gate.AlarmGate.WhenAlarming.WAIT, 240), null);

        assertThat(CoordinationService.leaseOf(target)).isEqualTo(CoordinationService.LEASE);
        assertThat(CoordinationService.leaseOf(gated)).isEqualTo(
                CoordinationService.LEASE.plusHours(3).plusMinutes(240).plusSeconds(600));
    }

    @Test
    void onlyTheHolderWaitsForApproval() {
        assertThatThrownBy(() -> service.awaitApproval(target, SECOND, "token")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLockTakenDuringAFreezeIsGivenBackWithWhenTheFreezeEnds() {
        // NOW is Sunday 6 Dec 2026 12:00 UTC, inside the weekend window.
        DeploymentTarget frozen = withFreeze(target, FreezeSettings.WhenFrozen.WAIT);

        CoordinationService.LockAnswer answer = service.acquire(frozen, FIRST, NOW);

        assertThat(answer.lock()).isEqualTo("FROZEN");
        assertThat(answer.freeze()).isEqualTo(new CoordinationService.FrozenAnswer(Instant.parse("2026-12-07T07:00:00Z"),
                "freeze window FRI 16:00 to MON 08:00 Europe/Berlin (until 2026-12-07T07:00:00Z)", "WAIT"));
        // Given back, so a newer request can take it (and supersede this one) while this one waits.
        assertThat(locks.holders).isEmpty();
        assertThat(service.acquire(withFreeze(target, FreezeSettings.WhenFrozen.REFUSE), SECOND, NOW).freeze()
                .whenFrozen()).isEqualTo("REFUSE");
    }

    @Test
    void outsideTheFreezeAndForADeliberateRollbackTheLockIsHeld() {
        CoordinationService monday = new CoordinationService(history, locks,
                Clock.fixed(Instant.parse("2026-12-07T07:00:00Z"), ZoneOffset.UTC));
        assertThat(monday.acquire(withFreeze(target, FreezeSettings.WhenFrozen.WAIT), FIRST, NOW))
                .isEqualTo(new CoordinationService.LockAnswer("HOLD", null));

        DeploymentTarget rollback = withFreeze(target, FreezeSettings.WhenFrozen.WAIT);
        rollback = new DeploymentTarget(rollback.deploymentId(), Trigger.ROLLBACK, rollback.requestedBy(),
                rollback.service(), "other", rollback.cluster(), rollback.ecsService(), rollback.container(),
                rollback.image(), rollback.healthCheck(), rollback.migration(), rollback.verification(), rollback.notifications(),
                rollback.reason(), rollback.requestedAt(), rollback.roleArn(), null, rollback.freeze(), null, null, null);
        assertThat(service.acquire(rollback, SECOND, NOW).lock()).isEqualTo("HOLD");
    }

    private static DeploymentTarget withFreeze(DeploymentTarget target, FreezeSettings.WhenFrozen whenFrozen) {
        return new DeploymentTarget(target.deploymentId(), target.trigger(), target.requestedBy(), target.service(),
                target.environment(), target.cluster(), target.ecsService(), target.container(), target.image(),
                target.healthCheck(), target.migration(), target.verification(), target.notifications(), target.reason(), target.requestedAt(),
                target.roleArn(), null, new FreezeSettings(List.of(FreezeWindow.of("FRI 16:00", "MON 08:00", "Europe/Berlin")),
                        whenFrozen), null, null, null);
    }

    /** One holder per target; a second execution waits (the ordering rules are {@link Locks}' and tested there). */
    private static final class InMemoryLocks implements DeploymentLocks {
        final Map<String, String> holders = new HashMap<>();
        final List<Duration> leases = new ArrayList<>();

        @Override
        public LockDecision acquire(String target, LockRequest request, Instant now, Duration lease) {
            leases.add(lease);
            String holder = holders.putIfAbsent(target, request.executionArn());
            return holder == null || holder.equals(request.executionArn()) ? LockDecision.HOLD : LockDecision.WAIT;
        }

        @Override
        public Optional<String> release(String target, String executionArn) {
            return holders.remove(target, executionArn) ? Optional.ofNullable(waiters.get(target)) : Optional.empty();
        }

        final Map<String, String> waiters = new HashMap<>();

        @Override
        public WaiterSwap storeWaiter(String target, String executionArn, String token) {
            return new WaiterSwap(true, Optional.ofNullable(waiters.put(target, token)),
                    Optional.ofNullable(approvals.get(target)).map(PendingApproval::token));
        }

        final Map<String, PendingApproval> approvals = new HashMap<>();
        /** Whether a newer request than the holder is registered, per target. */
        final Map<String, Boolean> newerRequest = new HashMap<>();

        @Override
        public boolean storeApproval(String target, String executionArn, String deploymentId, String token) {
            if (!executionArn.equals(holders.get(target))) {
                throw new IllegalStateException(executionArn + " does not hold the lock");
            }
            approvals.put(target, new PendingApproval(deploymentId, executionArn, token));
            return newerRequest.getOrDefault(target, false);
        }

        @Override
        public Optional<PendingApproval> pendingApproval(String target) {
            return Optional.ofNullable(approvals.get(target));
        }

        @Override
        public void forgetWaiter(String target, String token) {
            waiters.remove(target, token);
        }

        @Override
        public Optional<String> targetHeldBy(String executionArn) {
            return holders.entrySet().stream().filter(entry -> entry.getValue().equals(executionArn))
                    .map(Map.Entry::getKey).findFirst();
        }
    }
}
