package dev.deckhand.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.deployment.ImageDigest;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.notify.DeploymentReport;
import dev.deckhand.notify.OutcomeInput;
import dev.deckhand.notify.OutcomeMetric;
import dev.deckhand.notify.OutcomeMetrics;
import dev.deckhand.resolve.DeploymentRequest;
import dev.deckhand.resolve.EnvironmentResolver;
import dev.deckhand.resolve.Resolution;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The alarms and the dashboard read the metrics the notify step really emits. */
class OperationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Operations.Target PROD = new Operations.Target("storefront", "prod");

    @Test
    void aRolledBackDeploymentEmitsEveryMetricWithTheDimensionsTheAlarmsAndDashboardUse() throws Exception {
        OutcomeInput event = input(Outcome.ROLLED_BACK, "{\"health\":{\"round\":4}}");
        Map<String, Map<String, String>> emitted = byName(OutcomeMetrics.of(report(Outcome.ROLLED_BACK, "storefront", "prod"), event));

        Map<String, String> byOutcome = new HashMap<>(PROD.dimensions());
        byOutcome.put(Operations.OUTCOME, Outcome.ROLLED_BACK.name());
        assertThat(emitted).containsOnlyKeys(OutcomeMetrics.DEPLOYMENTS, OutcomeMetrics.DURATION, OutcomeMetrics.ROLLBACKS,
                OutcomeMetrics.HEALTH_CHECK_ROUNDS, OutcomeMetrics.CHANGES, OutcomeMetrics.FAILED_CHANGES);
        assertThat(emitted.get(OutcomeMetrics.CHANGES)).isEqualTo(PROD.dimensions());
        assertThat(emitted.get(OutcomeMetrics.FAILED_CHANGES)).isEqualTo(PROD.dimensions());
        assertThat(emitted.get(OutcomeMetrics.DEPLOYMENTS)).isEqualTo(byOutcome);
        assertThat(emitted.get(OutcomeMetrics.DURATION)).isEqualTo(PROD.dimensions());
        assertThat(emitted.get(OutcomeMetrics.ROLLBACKS)).isEqualTo(PROD.dimensions());
        assertThat(emitted.get(OutcomeMetrics.HEALTH_CHECK_ROUNDS)).isEqualTo(PROD.dimensions());
    }

    @Test
    void aSuccessfulPushIsAChangeWithALeadTimeFromThePushToTheVerification() throws Exception {
        OutcomeInput event = input(Outcome.SUCCEEDED, "{\"target\":{\"requestedAt\":\"2026-01-01T09:58:00Z\"},"
                + "\"timings\":{\"updated\":\"2026-01-01T10:01:00Z\",\"verified\":\"2026-01-01T10:04:30Z\"}}");

        java.util.List<OutcomeMetric> emitted = OutcomeMetrics.of(report(Outcome.SUCCEEDED, "storefront", "prod"), event);

        assertThat(emitted).extracting(OutcomeMetric::name).contains(OutcomeMetrics.CHANGES)
                .doesNotContain(OutcomeMetrics.FAILED_CHANGES);
        assertThat(emitted).filteredOn(metric -> metric.name().equals(OutcomeMetrics.LEAD_TIME)).singleElement()
                .satisfies(metric -> {
                    assertThat(metric.value()).isEqualTo(390.0);
                    assertThat(metric.dimensions()).isEqualTo(PROD.dimensions());
                });
    }

    @Test
    void aMigrationThatFailedBeforeTheUpdateIsNoChange() throws Exception {
        OutcomeInput event = input(Outcome.FAILED, "{\"timings\":{\"migration\":\"2026-01-01T10:01:00Z\"}}");

        assertThat(OutcomeMetrics.of(report(Outcome.FAILED, "storefront", "prod"), event)).extracting(OutcomeMetric::name)
                .doesNotContain(OutcomeMetrics.CHANGES, OutcomeMetrics.FAILED_CHANGES, OutcomeMetrics.LEAD_TIME);
    }

    @Test
    void anIgnoredPushIsCountedByOutcomeAlone() throws Exception {
        Map<String, Map<String, String>> emitted = byName(OutcomeMetrics.of(report(Outcome.IGNORED, null, null),
                input(Outcome.IGNORED, "{}")));

        assertThat(emitted).containsOnlyKeys(OutcomeMetrics.DEPLOYMENTS);
        assertThat(emitted.get(OutcomeMetrics.DEPLOYMENTS)).isEqualTo(Map.of(Operations.OUTCOME, "IGNORED"));
        assertThat(Operations.TARGET_OUTCOMES).doesNotContain(Outcome.IGNORED, Outcome.RUNNING)
                .contains(Outcome.SUCCEEDED, Outcome.FAILED, Outcome.ROLLED_BACK, Outcome.ROLLBACK_FAILED);
    }

    @Test
    void targetsAreEveryConfiguredServiceEnvironment() {
        assertThat(Operations.targets(ConfigurationLoader.load(Path.of("../deckhand.yml")))).containsExactlyInAnyOrder(
                new Operations.Target("storefront", "dev"), new Operations.Target("storefront", "staging"), PROD,
                new Operations.Target("billing-worker", "staging"), new Operations.Target("billing-worker", "prod"));
    }

    /**
     * What a "Report …" state passes: {@code json} (the steps' reports; its {@code target} fields
     * override those of a push of feature-x to storefront/dev), with the outcome.
     */
    private static OutcomeInput input(Outcome outcome, String json) throws Exception {
        ObjectNode document = (ObjectNode) JSON.readTree(json);
        document.put("outcome", outcome.name()).put("executionArn", "arn:execution");
        if (outcome == Outcome.IGNORED) {
            document.putObject("ignored").put("reason", "no environment deploys the tag wip");
        } else {
            Resolution pushed = new EnvironmentResolver(ConfigurationLoader.load(Path.of("../deckhand.yml"))).resolve(
                    new DeploymentRequest.ImagePushed("123456789012", "eu-west-1", "acme/storefront",
                            new ImageDigest("sha256:" + "ab".repeat(32)), "feature-x", null));
            ObjectNode target = DeckhandJson.MAPPER.valueToTree(((Resolution.Deploy) pushed).target());
            if (document.path("target").isObject()) {
                target.setAll((ObjectNode) document.path("target"));
            }
            document.set("target", target);
        }
        return OutcomeInput.parse(document);
    }

    private static DeploymentReport report(Outcome outcome, String service, String environment) {
        return new DeploymentReport(outcome, "summary", service == null ? null : "d-1", 1, service, environment,
                "image", "v1", "push", null, "arn:execution", Instant.parse("2026-01-01T10:00:00Z"),
                Instant.parse("2026-01-01T10:05:00Z"), null);
    }

    private static Map<String, Map<String, String>> byName(java.util.List<OutcomeMetric> metrics) {
        Map<String, Map<String, String>> byName = new HashMap<>();
        metrics.forEach(metric -> byName.put(metric.name(), metric.dimensions()));
        assertThat(byName).hasSameSizeAs(metrics);
        return byName;
    }
}
