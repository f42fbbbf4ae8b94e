package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.notify.OutcomeMetric;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real definition, the real handlers, the local cloud: a push deploys. */
class HappyPathIT {

    private static LocalDeckhand deckhand;
    private static DeployerScenarios scenarios;

    @BeforeAll
    static void start() {
        deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start();
        scenarios = new DeployerScenarios(deckhand);
    }

    @AfterAll
    static void stop() {
        deckhand.close();
    }

    @Test
    void aFeaturePushMigratesDeploysAndVerifiesDevPinnedByDigest() throws Exception {
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-login"), ImageBehaviour.healthy());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).as(execution.error() + ": " + execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode output = DeployerScenarios.json(execution.output());
        assertThat(output.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(image.uri())
                .contains("@sha256:");

        String deploymentId = output.path("deploymentId").asText();
        AttemptRecord record = deckhand.history().attempt(deploymentId, 1).orElseThrow();
        assertThat(record.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(record.executionArn()).isEqualTo(execution.executionArn());
        // Each step's end on the (simulated) clock, in order: what the status API shows per step.
        JsonNode timings = record.details().path("timings");
        List<String> steps = List.of("started", "resolved", "claimed", "locked", "prepared", "migration", "updated",
                "rollout", "verified");
        assertThat(timings.fieldNames()).toIterable().containsExactlyElementsOf(steps);
        for (int i = 1; i < steps.size(); i++) {
            assertThat(java.time.Instant.parse(timings.path(steps.get(i)).asText()))
                    .isAfterOrEqualTo(java.time.Instant.parse(timings.path(steps.get(i - 1)).asText()));
        }
        assertThat(java.time.Duration.between(java.time.Instant.parse(timings.path("updated").asText()),
                java.time.Instant.parse(timings.path("rollout").asText()))).isPositive();
        assertThat(deckhand.history().lastVerified("storefront", "dev").orElseThrow().deploymentId())
                .isEqualTo(deploymentId);
        assertThat(deckhand.metrics()).extracting(OutcomeMetric::name, OutcomeMetric::value)
                .contains(tuple("Deployments", 1.0), tuple("HealthCheckRounds", 1.0));
        assertThat(deckhand.metrics()).filteredOn(metric -> metric.name().equals("Deployments"))
                .allSatisfy(metric -> assertThat(metric.dimensions()).containsEntry("Outcome", "SUCCEEDED")
                        .containsEntry("Environment", "dev"));
        assertThat(scenarios.published()).anySatisfy(message -> {
            assertThat(message.path("outcome").asText()).isEqualTo("SUCCEEDED");
            assertThat(message.path("deploymentId").asText()).isEqualTo(deploymentId);
        });
    }
}
