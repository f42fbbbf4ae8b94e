package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.catalogue.DeployerFunction;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.fault.FaultRule;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.testing.Fixtures;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Recording the outcome is a step of the deployment: when the history cannot be written after a
 * healthy rollout, the deployment fails visibly instead of ending SUCCEEDED with the release never
 * marked verified (the next rollback would then go to an older revision).
 */
class RecordingFailureIT {

    private static final String DYNAMODB = "DynamoDB_20120810";

    private LocalDeckhand deckhand;

    @AfterEach
    void stop() {
        if (deckhand != null) {
            deckhand.close();
        }
    }

    @Test
    void aHistoryThatCannotBeWrittenAfterAHealthyRolloutFailsTheDeploymentInsteadOfSucceedingUnverified()
            throws Exception {
        AtomicReference<LocalDeckhand> running = new AtomicReference<>();
        AtomicBoolean breakHistory = new AtomicBoolean();
        AtomicInteger recordings = new AtomicInteger();
        // The moment the health check answers, DynamoDB refuses every PutItem: no step between
        // "Verify health" and "Record the verified release and release the lock" writes an item, and recording does.
        deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration())
                .invocationListener((function, nanos) -> {
                    if (breakHistory.get() && function.equals(Functions.name(DeployerFunction.RECORD))) {
                        recordings.incrementAndGet();
                    }
                    if (breakHistory.get() && function.equals(Functions.HEALTH_CHECK)) {
                        running.get().cloud().faults().add(FaultRule.serverError(DYNAMODB, "PutItem", 1.0));
                    }
                })
                .start();
        running.set(deckhand);
        DeployerScenarios scenarios = new DeployerScenarios(deckhand);
        EcrImage good = deckhand.push("acme/storefront", List.of("feature-good"), ImageBehaviour.healthy());
        assertThat(scenarios.finishedExecutionOf(good).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        Optional<VerifiedRevision> verifiedBefore = deckhand.history().lastVerified("storefront", "dev");
        assertThat(verifiedBefore).isPresent();

        breakHistory.set(true);
        EcrImage unrecorded = deckhand.push("acme/storefront", List.of("feature-unrecorded"), ImageBehaviour.healthy());
        ExecutionDescription execution = scenarios.finishedExecutionOf(unrecorded);
        breakHistory.set(false);
        deckhand.cloud().faults().clear();

        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        List<String> entered = deckhand.engine().getExecutionHistory(execution.executionArn()).stream()
                .filter(event -> event.type().endsWith("StateEntered")).map(HistoryEvent::stateName).toList();
        assertThat(entered).contains("Verify health", "Record the verified release and release the lock", "Record the failure",
                "Report failure", "Deployment failed").doesNotContain("Report success", "Deployed");
        // Each "Record …" state tried once and retried 6 times (its Retry's MaxAttempts) before giving up.
        assertThat(recordings.get()).isEqualTo(2 * (1 + 6));
        assertThat(deckhand.history().lastVerified("storefront", "dev")).isEqualTo(verifiedBefore);
        JsonNode report = last(scenarios.published());
        assertThat(report.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(report.path("summary").asText()).startsWith("Failed to deploy feature-unrecorded to storefront/dev")
                .contains("TransientAwsException: record attempt");
    }

    private static JsonNode last(List<JsonNode> messages) {
        return messages.get(messages.size() - 1);
    }
}
