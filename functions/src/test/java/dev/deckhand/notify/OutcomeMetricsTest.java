package dev.deckhand.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.aws.PowertoolsMetricsSink;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.testing.Targets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;

class OutcomeMetricsTest {

    private static final Instant START = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void aSuccessCountsTheDeploymentItsDurationAndItsHealthRounds() throws Exception {
        OutcomeInput event = input(Outcome.SUCCEEDED, "{\"healthy\": true, \"round\": 3}");

        List<OutcomeMetric> metrics = OutcomeMetrics.of(report(Outcome.SUCCEEDED), event);

        assertThat(metrics).containsExactly(
                new OutcomeMetric("Deployments", 1, "Count",
                        Map.of("Service", "storefront", "Environment", "dev", "Outcome", "SUCCEEDED")),
                new OutcomeMetric("DeploymentDuration", 95, "Seconds", Map.of("Service", "storefront", "Environment", "dev")),
                // A success changed the service (DORA's change failure rate counts it among the changes).
                new OutcomeMetric("Changes", 1, "Count", Map.of("Service", "storefront", "Environment", "dev")),
                new OutcomeMetric("HealthCheckRounds", 3, "Count", Map.of("Service", "storefront", "Environment", "dev")));
    }

    @Test
    void aRollbackIsCountedAsOne() throws Exception {
        List<OutcomeMetric> metrics = OutcomeMetrics.of(report(Outcome.ROLLED_BACK), input(Outcome.ROLLED_BACK, null));

        // A rollback is a failed change of the service.
        assertThat(metrics).extracting(OutcomeMetric::name).containsExactly("Deployments", "DeploymentDuration", "Rollbacks",
                "Changes", "FailedChanges");
    }

    @Test
    void aRejectionIsADeploymentThatChangedNothingAndAnApprovalRequestIsNoOutcome() throws Exception {
        List<OutcomeMetric> rejected = OutcomeMetrics.of(report(Outcome.REJECTED), input(Outcome.REJECTED, null));
        assertThat(rejected).containsExactly(new OutcomeMetric("Deployments", 1, "Count",
                Map.of("Service", "storefront", "Environment", "dev", "Outcome", "REJECTED")));

        assertThat(OutcomeMetrics.of(report(Outcome.AWAITING_APPROVAL), input(Outcome.AWAITING_APPROVAL, null))).isEmpty();
    }

    @Test
    void anIgnoredPushIsCountedWithoutADuration() {
        DeploymentReport ignored = new DeploymentReport(Outcome.IGNORED, "Ignored", null, null, null, null, null, null,
                null, null, "arn:execution", null, START, null);

        ObjectNode document = DeckhandJson.MAPPER.createObjectNode().put("outcome", "IGNORED").put("executionArn", "arn:execution");
        document.putObject("ignored").put("reason", "no environment deploys the tag wip");
        assertThat(OutcomeMetrics.of(ignored, OutcomeInput.parse(document)))
                .containsExactly(new OutcomeMetric("Deployments", 1, "Count", Map.of("Outcome", "IGNORED")));
    }

    @Test
    void powertoolsWritesEachMetricInTheEmbeddedMetricFormat() throws Exception {
        // In Lambda the EMF library detects its environment and prints to stdout; here we say so.
        EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Lambda);
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            new PowertoolsMetricsSink().emit(List.of(new OutcomeMetric("Rollbacks", 1, "Count",
                    Map.of("Service", "storefront", "Environment", "dev"))));
        } finally {
            System.setOut(original);
        }
        JsonNode emf = DeckhandJson.MAPPER.readTree(captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("_aws")).findFirst().orElseThrow());

        assertThat(emf.path("Rollbacks").asDouble()).isEqualTo(1.0);
        assertThat(emf.path("Service").asText()).isEqualTo("storefront");
        JsonNode directive = emf.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("Deckhand");
        assertThat(directive.path("Metrics").get(0).path("Name").asText()).isEqualTo("Rollbacks");
    }

    /** What a "Report …" state passes for a push of feature-x to storefront/dev, with the health it reported. */
    private static OutcomeInput input(Outcome outcome, String health) throws Exception {
        ObjectNode document = DeckhandJson.MAPPER.createObjectNode().put("outcome", outcome.name())
                .put("executionArn", "arn:execution");
        document.set("target", DeckhandJson.MAPPER.valueToTree(Targets.storefrontDev("feature-x", "ab")));
        if (health != null) {
            document.set("health", DeckhandJson.MAPPER.readTree(health));
        }
        return OutcomeInput.parse(document);
    }

    private static DeploymentReport report(Outcome outcome) {
        return new DeploymentReport(outcome, "summary", "storefront.dev.0123456789abcdef", 1, "storefront", "dev",
                "image", "main-1", "push", null, "arn:execution", START, START.plusSeconds(95), null);
    }
}
