package dev.deckhand.approve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.coordinate.CoordinationService;
import dev.deckhand.coordinate.DeploymentLocks;
import dev.deckhand.coordinate.LockDecision;
import dev.deckhand.coordinate.LockRequest;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.ClaimRecord;
import dev.deckhand.testing.Fixtures;
import dev.deckhand.testing.InMemoryDeploymentHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who may answer, and what an answer may not do; every refusal wakes nobody. */
class ApprovalServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");
    private static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:deployer:prod-1";
    private static final String REQUESTER = "arn:aws:sts::123456789012:assumed-role/release/alice";
    private static final String APPROVER = "arn:aws:sts::123456789012:assumed-role/release/bob";
    private static final DeploymentId ID = DeploymentId.parse("storefront.prod.0123456789abcdef");
    private static final String PROD_LOCK = CoordinationService.lockKey("storefront", "prod", "acme-prod",
            "storefront-prod");

    private final InMemoryDeploymentHistory history = new InMemoryDeploymentHistory();
    private final WaitingLocks locks = new WaitingLocks();
    private final List<String> woken = new ArrayList<>();
    private boolean taskWaits = true;
    private final ApprovalService service = new ApprovalService(ConfigurationSource.of(ConfigurationLoader.parse(
            Fixtures.read("deckhand.yml").replace("promoteFrom: staging             # no deployOnPush: prod is reached "
                    + "only by promotion", "promoteFrom: staging\n        approval:\n          required: true\n"
                    + "          approvers: [\"arn:aws:sts::123456789012:assumed-role/release/*\"]"), "deckhand.yml")),
            locks, history, (token, output) -> {
                woken.add(token + " " + output);
                return taskWaits;
            }, Clock.fixed(NOW, ZoneOffset.UTC));

    private void waitingForApproval() {
        waitingForApproval(REQUESTER);
    }

    /** @param requestedBy who asked: a promotion's caller, or {@code null} for an ECR push (its event names nobody) */
    private void waitingForApproval(String requestedBy) {
        ClaimRecord claim = new ClaimRecord(1, Outcome.RUNNING, EXECUTION, NOW.minusSeconds(60));
        history.claim(ID.value(), Optional.empty(), claim, new AttemptRecord(ID.value(), 1, Outcome.RUNNING,
                "storefront", "prod", "repo@sha256:" + "0".repeat(64), "v1", "promote", requestedBy, EXECUTION,
                claim.startedAt(), null, "promotion", JsonNodeFactory.instance.objectNode()));
        locks.pending = new DeploymentLocks.PendingApproval(ID.value(), EXECUTION, "token-1");
    }

    @Test
    void anApproverAnswersWithTheirPrincipalTheDecisionAndTheComment() {
        waitingForApproval();

        ApprovalService.Answered answered = service.answer(ID, ApprovalService.Decision.APPROVED, "looks good", APPROVER);

        assertThat(answered.by()).isEqualTo(APPROVER);
        assertThat(woken).containsExactly("token-1 {\"decision\":\"APPROVED\",\"by\":\"" + APPROVER
                + "\",\"at\":\"2026-12-07T03:00:00Z\",\"comment\":\"looks good\"}");
        assertThat(locks.readFrom).containsExactly(PROD_LOCK);
    }

    @Test
    void theRequesterMayRejectButNotApprove() {
        waitingForApproval();

        assertThatThrownBy(() -> service.answer(ID, ApprovalService.Decision.APPROVED, null, REQUESTER))
                .isInstanceOfSatisfying(ApprovalRefused.class, refused -> assertThat(refused.status()).isEqualTo(403))
                .hasMessage(REQUESTER + " asked for this deployment and may not approve it (preventSelfApproval); "
                        + "another approver must");
        assertThat(woken).isEmpty();

        service.answer(ID, ApprovalService.Decision.REJECTED, "withdrawn", REQUESTER);
        assertThat(woken).hasSize(1);
    }

    @Test
    void aPushNamesNobodySoAnyApproverMayApproveIt() {
        waitingForApproval(null);

        service.answer(ID, ApprovalService.Decision.APPROVED, null, REQUESTER);

        assertThat(woken).singleElement().asString().contains("\"decision\":\"APPROVED\"");
    }

    @Test
    void aPrincipalOutsideTheApproversIsRefused() {
        waitingForApproval();

        assertThatThrownBy(() -> service.answer(ID, ApprovalService.Decision.APPROVED, null,
                "arn:aws:sts::123456789012:assumed-role/developer/eve"))
                .isInstanceOfSatisfying(ApprovalRefused.class, refused -> assertThat(refused.status()).isEqualTo(403))
                .hasMessageEndingWith("is not among the approvers of storefront/prod");
        assertThat(woken).isEmpty();
    }

    @Test
    void aDeploymentThatDoesNotWaitIsRefusedWithWhatItIs() {
        assertThatThrownBy(() -> service.answer(ID, ApprovalService.Decision.APPROVED, null, APPROVER))
                .isInstanceOfSatisfying(ApprovalRefused.class, refused -> assertThat(refused.status()).isEqualTo(404))
                .hasMessage("no deployment " + ID.value());

        waitingForApproval();
        locks.pending = new DeploymentLocks.PendingApproval("storefront.prod.fedcba9876543210", "other", "token-2");
        assertThatThrownBy(() -> service.answer(ID, ApprovalService.Decision.APPROVED, null, APPROVER))
                .isInstanceOfSatisfying(ApprovalRefused.class, refused -> assertThat(refused.status()).isEqualTo(409))
                .hasMessage(ID.value() + " is not waiting for approval (it is RUNNING, already answered or not yet "
                        + "asking)");
        assertThat(woken).isEmpty();
    }

    @Test
    void aTokenStepFunctionsNoLongerTakesIsAConflictNotASuccess() {
        waitingForApproval();
        taskWaits = false; // answered, timed out or superseded a moment ago: SendTaskSuccess says TaskTimedOut

        assertThatThrownBy(() -> service.answer(ID, ApprovalService.Decision.APPROVED, null, APPROVER))
                .isInstanceOfSatisfying(ApprovalRefused.class, refused -> assertThat(refused.status()).isEqualTo(409))
                .hasMessage(ID.value() + " no longer waits for approval: it was answered, expired or superseded "
                        + "a moment ago");
    }

    @Test
    void anEnvironmentWithoutApprovalHasNothingToAnswer() {
        assertThatThrownBy(() -> service.answer(DeploymentId.parse("storefront.staging.0123456789abcdef"),
                ApprovalService.Decision.APPROVED, null, APPROVER))
                .isInstanceOfSatisfying(ApprovalRefused.class, refused -> assertThat(refused.status()).isEqualTo(409))
                .hasMessage("storefront/staging deploys without approval; there is nothing to answer");
    }

    /** Only what the approval API reads of the locks. */
    private static final class WaitingLocks implements DeploymentLocks {
        DeploymentLocks.PendingApproval pending;
        final List<String> readFrom = new ArrayList<>();

        @Override
        public Optional<PendingApproval> pendingApproval(String target) {
            readFrom.add(target);
            return Optional.ofNullable(pending);
        }

        @Override
        public LockDecision acquire(String target, LockRequest request, Instant now, Duration lease) {
            throw new UnsupportedOperationException("the approval API never takes a lock");
        }

        @Override
        public Optional<String> release(String target, String executionArn) {
            throw new UnsupportedOperationException("the approval API never releases a lock");
        }

        @Override
        public WaiterSwap storeWaiter(String target, String executionArn, String token) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void forgetWaiter(String target, String token) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean storeApproval(String target, String executionArn, String deploymentId, String token) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<String> targetHeldBy(String executionArn) {
            throw new UnsupportedOperationException();
        }
    }
}
