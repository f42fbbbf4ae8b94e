package dev.deckhand.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.ecs.WorkloadTiming;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How long after ECS reports what a waiting state waits for the deployer moves on, on the wall
 * clock: from the instant the local ECS emits SERVICE_DEPLOYMENT_COMPLETED (the event's
 * {@code updatedAt}) to "Update the service" answered (its state exited with the verdict), and from
 * the migration task's STOPPED event to "Start database migration" answered — the event's trip through EventBridge, wait-router, DynamoDB
 * and SendTaskSuccess. Not a test: it prints p50 and p99 over the deployments.
 *
 * <p>Run through {@link BenchmarkSuite}: {@code ./mvnw -B -q -Pbench -pl local -am verify -Dbench=latency}
 * ({@code -Dlatency.deployments=50} by default).
 */
public final class DetectionLatencyBenchmark {

    public static void main(String[] args) throws Exception {
        int deployments = Integer.getInteger("latency.deployments", 50);
        // Short workloads so that 50 real-time deployments take minutes, not hours; the latency measured
        // does not depend on them.
        WorkloadTiming quick = new WorkloadTiming(Duration.ofMillis(100), Duration.ofMillis(300),
                Duration.ofMillis(500), Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofSeconds(2));
        List<Double> rollout = new ArrayList<>();
        List<Double> migration = new ArrayList<>();
        long heartbeats = 0;
        Instant began = Instant.now();
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).realTime(true)
                .workloadTiming(quick).start()) {
            for (int i = 0; i < deployments; i++) {
                EcrImage image = deckhand.push("acme/storefront", List.of("feature-latency-" + i), ImageBehaviour.healthy());
                String arn = deckhand.executionStartedBy(image, Duration.ofSeconds(60));
                ExecutionDescription end = deckhand.awaitCompletion(arn, Duration.ofMinutes(3));
                if (end.status() != ExecutionStatus.SUCCEEDED) {
                    throw new IllegalStateException("deployment " + i + " ended " + end.status() + ": " + end.cause());
                }
                List<HistoryEvent> history = deckhand.engine().getExecutionHistory(arn);
                heartbeats += history.stream().filter(event -> event.type().equals("TaskTimedOut")).count();
                String ecsDeployment = output(history, "Update the service").path("rollout").path("ecsDeploymentId").asText();
                String task = output(history, "Start database migration").path("migration").path("taskArn").asText();
                rollout.add(millisBetween(emitted(deckhand, "ECS Deployment State Change", "deploymentId", ecsDeployment),
                        exited(history, "Update the service")));
                migration.add(millisBetween(emitted(deckhand, "ECS Task State Change", "taskArn", task),
                        exited(history, "Start database migration")));
            }
        }
        System.out.printf(Locale.ROOT, "%d deployments on the wall clock (%s s in all), %d heartbeat timeouts.%n%n",
                deployments, Duration.between(began, Instant.now()).toSeconds(), heartbeats);
        Figures.table(List.of("ECS event → next state", "p50", "p99", "max"), List.of(
                row("SERVICE_DEPLOYMENT_COMPLETED → Update the service answered", rollout),
                row("migration task STOPPED → Start database migration answered", migration)));
    }

    private static List<String> row(String what, List<Double> millis) {
        List<Double> sorted = millis.stream().sorted().toList();
        return List.of(what, Figures.ms(percentile(sorted, 50)), Figures.ms(percentile(sorted, 99)),
                Figures.ms(sorted.get(sorted.size() - 1)));
    }

    /** Nearest-rank percentile. */
    private static double percentile(List<Double> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static JsonNode output(List<HistoryEvent> history, String state) {
        HistoryEvent exited = history.stream().filter(event -> event.type().equals("TaskStateExited")
                && state.equals(event.stateName())).findFirst().orElseThrow(() -> new IllegalStateException(state));
        try {
            return DeckhandJson.MAPPER.readTree(exited.details().path("output").asText());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** When ECS emitted the terminal event of {@code id}: its {@code updatedAt}, the instant it happened. */
    private static Instant emitted(LocalDeckhand deckhand, String detailType, String field, String id) {
        return deckhand.cloud().events().events().stream()
                .filter(event -> event.path("detail-type").asText().equals(detailType)
                        && event.path("detail").path(field).asText().equals(id)
                        && isTerminal(event))
                .map(event -> Instant.parse(event.path("detail").path("updatedAt").asText()))
                .min(Comparator.naturalOrder())
                .orElseThrow(() -> new IllegalStateException("no " + detailType + " for " + id));
    }

    private static boolean isTerminal(ObjectNode event) {
        JsonNode detail = event.path("detail");
        return detail.path("eventName").asText().equals("SERVICE_DEPLOYMENT_COMPLETED")
                || detail.path("lastStatus").asText().equals("STOPPED");
    }

    private static Instant exited(List<HistoryEvent> history, String state) {
        return history.stream().filter(event -> event.type().equals("TaskStateExited") && state.equals(event.stateName()))
                .map(HistoryEvent::timestamp).findFirst().orElseThrow(() -> new IllegalStateException(state));
    }

    private static double millisBetween(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }
}
