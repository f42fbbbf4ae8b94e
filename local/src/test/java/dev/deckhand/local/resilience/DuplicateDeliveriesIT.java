package dev.deckhand.local.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.events.EcrPushPattern;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.Eventually;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.events.EventPattern;
import dev.deckhand.local.lambda.LocalLambdaContext;
import dev.deckhand.resolve.ResolveEnvironmentHandler;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EventBridge delivers at least once, and one push of N tags emits N events. Every sample push in
 * {@code events/ecr/} — the three-tag push as one push of its three tags — is pushed to the local
 * ECR and each event it emits is delivered 1, 2 or 5 times, the repeats all at once: exactly one
 * deployment per (repository, digest, environment), one task-definition revision and one history
 * attempt for it; every other delivery ends DUPLICATE, or IGNORED when the push deploys nowhere.
 * (DuplicatesAndRerunsIT covers one redelivery, a console rerun and a rerun of a rollback.)
 */
class DuplicateDeliveriesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static DeckhandConfiguration configuration;
    private static LocalDeckhand deckhand;
    private static ResolveEnvironmentHandler resolver;
    private static EventPattern pushRule;

    @BeforeAll
    static void start() {
        configuration = Fixtures.sampleConfiguration();
        deckhand = LocalDeckhand.builder(configuration).start();
        resolver = new ResolveEnvironmentHandler(ConfigurationSource.of(configuration));
        pushRule = EventPattern.parse(EcrPushPattern.forConfiguration(configuration));
        deckhand.ecr().ensureRepository("acme/not-deckhand");
    }

    @AfterAll
    static void stop() {
        deckhand.close();
    }

    @ParameterizedTest(name = "each event delivered {0} time(s)")
    @ValueSource(ints = {1, 2, 5})
    void eachDigestDeploysOnceToItsEnvironmentHoweverOftenItsEventsAreDelivered(int deliveries) throws Exception {
        int deployments = 0;
        int duplicates = 0;
        int ignored = 0;
        for (Map.Entry<String, List<JsonNode>> push : samplePushes().entrySet()) {
            JsonNode first = push.getValue().get(0).path("detail");
            String repository = first.path("repository-name").asText();
            List<String> tags = push.getValue().stream().map(event -> event.path("detail").path("image-tag"))
                    .filter(JsonNode::isTextual).map(JsonNode::asText).toList();
            Footprint before = Footprint.of(deckhand, configuration);
            int eventsBefore = deckhand.cloud().events().events().size();

            EcrImage image = deckhand.ecr().push(repository, tags, ImageBehaviour.healthy(),
                    push.getKey() + "-delivered-" + deliveries);
            List<ObjectNode> emitted = emittedFor(image, eventsBefore, Math.max(1, tags.size()));
            int matchedByRule = 0;
            for (ObjectNode event : emitted) {
                if (pushRule.matches(event)) {
                    matchedByRule++;
                }
                for (int repeat = 1; repeat < deliveries; repeat++) {
                    deckhand.startExecution(event.toString()); // the redelivery: same event, same input
                }
            }
            int redelivered = emitted.size() * (deliveries - 1);
            List<ExecutionDescription> executions = finished(image, matchedByRule + redelivered);

            Map<String, Long> outcomes = executions.stream().map(execution -> outcome(execution))
                    .collect(Collectors.groupingBy(Function.identity(), LinkedHashMap::new, Collectors.counting()));
            List<String> targets = emitted.stream().map(DuplicateDeliveriesIT::deploymentIdOf)
                    .filter(id -> !id.isEmpty()).distinct().toList();
            String what = push.getKey() + " (" + tags + ") delivered " + deliveries + " time(s): " + outcomes;
            Footprint after = Footprint.of(deckhand, configuration);
            if (targets.isEmpty()) {
                assertThat(outcomes.keySet()).as(what).isSubsetOf("IGNORED");
                assertThat(after).as(what).isEqualTo(before);
                ignored += executions.size();
                continue;
            }
            assertThat(targets).as(what).hasSize(1);
            assertThat(outcomes.keySet()).as(what).isSubsetOf("SUCCEEDED", "DUPLICATE");
            assertThat(outcomes).as(what).containsEntry("SUCCEEDED", 1L);
            assertThat(outcomes.getOrDefault("DUPLICATE", 0L)).as(what).isEqualTo(executions.size() - 1L);
            assertThat(executions).as(what).hasSize(emitted.size() * deliveries);
            String target = targets.get(0);
            String family = ecsServiceOf(target);
            assertThat(after.taskDefinitions()).as(what).hasSize(before.taskDefinitions().size() + 1)
                    .containsAll(before.taskDefinitions())
                    .filteredOn(arn -> !before.taskDefinitions().contains(arn)).singleElement(STRING)
                    .contains(":task-definition/" + family + ":");
            assertThat(deckhand.history().attempt(target, 1)).as(what).hasValueSatisfying(record ->
                    assertThat(record.outcome().name()).isEqualTo("SUCCEEDED"));
            assertThat(deckhand.history().attempt(target, 2)).as(what).isEmpty();
            deployments++;
            duplicates += outcomes.getOrDefault("DUPLICATE", 0L).intValue();
        }
        System.out.printf("duplicates, each event delivered %d time(s): %d deployments (one per repository, digest "
                + "and environment), %d DUPLICATE, %d IGNORED%n", deliveries, deployments, duplicates, ignored);
        assertThat(deployments).isEqualTo(6);
    }

    /** The sample pushes of events/ecr/, by the digest they name: the three-tag push is one push of three tags. */
    private static Map<String, List<JsonNode>> samplePushes() throws IOException {
        Map<String, List<JsonNode>> pushes = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(Fixtures.path("events/ecr"))) {
            for (Path file : files.sorted().toList()) {
                JsonNode event = DeckhandJson.MAPPER.readTree(file.toFile());
                JsonNode detail = event.path("detail");
                // The local ECR pushes images: the samples of other OCI artifacts (a Helm chart, a
                // signature, an SBOM) are resolve-env's to ignore (ResolveEnvironmentHandlerTest).
                boolean image = !detail.hasNonNull("artifact-media-type")
                        || detail.path("artifact-media-type").asText().startsWith("application/vnd.oci.image.config");
                if (image && detail.path("action-type").asText().equals("PUSH") && detail.path("result").asText().equals("SUCCESS")) {
                    String name = file.getFileName().toString().replaceAll("(-\\d)?\\.json$", "");
                    pushes.computeIfAbsent(name, key -> new ArrayList<>()).add(event);
                }
            }
        }
        assertThat(pushes).hasSize(10).containsKey("push-three-tags").containsKey("push-dev-oci-image")
                .containsKey("push-cosign-signature-tag");
        return pushes;
    }

    private static List<ObjectNode> emittedFor(EcrImage image, int from, int expected) {
        List<ObjectNode> events = deckhand.cloud().events().events();
        List<ObjectNode> emitted = events.subList(from, events.size()).stream()
                .filter(event -> event.path("detail").path("image-digest").asText().equals(image.digest())).toList();
        assertThat(emitted).as("events of the push of %s", image.uri()).hasSize(expected);
        return emitted;
    }

    /** The executions for the image, once {@code expected} exist and all have finished. */
    private static List<ExecutionDescription> finished(EcrImage image, int expected) throws InterruptedException {
        List<ExecutionDescription> started = Eventually.value(TIMEOUT,
                () -> expected + " executions of " + image.uri() + " finished", () -> {
                    List<ExecutionDescription> now = startedFor(image);
                    return now.size() >= expected && now.stream().noneMatch(e -> e.status() == ExecutionStatus.RUNNING)
                            ? Optional.of(now) : Optional.empty();
                });
        assertThat(started).hasSize(expected);
        return started;
    }

    private static List<ExecutionDescription> startedFor(EcrImage image) {
        return deckhand.executions().stream().filter(execution -> execution.input().contains(image.digest())).toList();
    }

    private static String outcome(ExecutionDescription execution) {
        assertThat(execution.status()).as(execution.executionArn() + " " + execution.error() + " " + execution.cause())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
        return json(execution.output()).path("outcome").asText();
    }

    /** The deployment id resolve-env gives the event, or "" when it deploys nowhere. */
    private static String deploymentIdOf(ObjectNode event) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        resolver.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), output,
                new LocalLambdaContext("deckhand-resolve-env", deckhand.cloud().region(), deckhand.cloud().account()));
        return json(output.toString(StandardCharsets.UTF_8)).path("deploymentId").asText("");
    }

    /** The ECS service (task-definition family) of a deployment id's service and environment. */
    private static String ecsServiceOf(String deploymentId) {
        String[] parts = deploymentId.split("\\.");
        return configuration.service(parts[0]).orElseThrow().environment(parts[1]).orElseThrow().ecsService();
    }

    private static JsonNode json(String text) {
        try {
            return DeckhandJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
