package dev.deckhand.approve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.config.ApprovalSettings;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.config.EnvironmentDefinition;
import dev.deckhand.coordinate.CoordinationService;
import dev.deckhand.coordinate.DeploymentLocks;
import dev.deckhand.coordinate.DeploymentLocks.PendingApproval;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.ClaimRecord;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.wait.Callbacks;
import java.time.Clock;
import java.util.Optional;

/**
 * Answers a deployment that waits for approval: checks who answers, then completes the "Wait for
 * approval" task with the decision, the approver and the comment (which the deployment records in
 * its history). Step Functions takes one answer per token, so of two answers at once exactly one
 * counts, and the other is refused. Every refusal changes nothing.
 */
public final class ApprovalService {

    /** A comment is a sentence for the history and the notification, not a document. */
    public static final int MAX_COMMENT = 500;

    private final ConfigurationSource configuration;
    private final DeploymentLocks locks;
    private final DeploymentHistory history;
    private final Callbacks callbacks;
    private final Clock clock;

    public ApprovalService(ConfigurationSource configuration, DeploymentLocks locks, DeploymentHistory history,
            Callbacks callbacks, Clock clock) {
        this.configuration = configuration;
        this.locks = locks;
        this.history = history;
        this.callbacks = callbacks;
        this.clock = clock;
    }

    /** A person's answer. */
    public enum Decision {
        APPROVED, REJECTED
    }

    /** What the API answers once the decision reached the deployment. */
    public record Answered(String deploymentId, String decision, String by, String comment) {
    }

    /**
     * @param principal the caller's IAM principal ARN
     * @throws ApprovalRefused 403 for a principal who may not answer (or may not approve their own
     *     request), 404 for an unknown target or deployment, 409 for a deployment that does not wait
     *     for approval (any more)
     */
    public Answered answer(DeploymentId id, Decision decision, String comment, String principal) {
        EnvironmentDefinition environment = configuration.load().service(id.service())
                .flatMap(service -> service.environment(id.environment()))
                .orElseThrow(() -> new ApprovalRefused(404, "no environment " + id.service() + "/" + id.environment()
                        + " in the configuration"));
        ApprovalSettings approval = environment.approval();
        if (approval == null) {
            throw new ApprovalRefused(409, id.service() + "/" + id.environment() + " deploys without approval; "
                    + "there is nothing to answer");
        }
        if (!approval.answerableBy(principal)) {
            throw new ApprovalRefused(403, principal + " is not among the approvers of " + id.service() + "/"
                    + id.environment());
        }
        ClaimRecord latest = history.latestAttempt(id.value())
                .orElseThrow(() -> new ApprovalRefused(404, "no deployment " + id.value()));
        String key = CoordinationService.lockKey(id.service(), id.environment(), environment.cluster(),
                environment.ecsService());
        Optional<PendingApproval> pending = locks.pendingApproval(key)
                .filter(waiting -> waiting.deploymentId().equals(id.value())
                        && waiting.executionArn().equals(latest.executionArn()));
        if (pending.isEmpty()) {
            throw notWaiting(id, latest);
        }
        AttemptRecord attempt = history.attempt(id.value(), latest.attempt()).orElseThrow(() -> notWaiting(id, latest));
        if (decision == Decision.APPROVED && approval.preventSelfApproval() && principal.equals(attempt.requestedBy())) {
            throw new ApprovalRefused(403, principal + " asked for this deployment and may not approve it "
                    + "(preventSelfApproval); another approver must");
        }
        ObjectNode output = DeckhandJson.MAPPER.createObjectNode().put("decision", decision.name())
                .put("by", principal).put("at", clock.instant().toString());
        if (comment != null) {
            output.put("comment", comment);
        }
        if (!callbacks.wake(pending.get().token(), output.toString())) {
            throw new ApprovalRefused(409, id.value() + " no longer waits for approval: it was answered, expired "
                    + "or superseded a moment ago");
        }
        return new Answered(id.value(), decision.name(), principal, comment);
    }

    private ApprovalRefused notWaiting(DeploymentId id, ClaimRecord latest) {
        return new ApprovalRefused(409, id.value() + " is not waiting for approval ("
                + (latest.outcome().isFinal() ? "it ended " + latest.outcome()
                        : "it is " + latest.outcome() + ", already answered or not yet asking") + ")");
    }
}
