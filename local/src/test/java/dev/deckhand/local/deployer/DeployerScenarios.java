package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.Eventually;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

/** What the deployer scenario tests ask of a running {@link LocalDeckhand}. */
final class DeployerScenarios {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final LocalDeckhand deckhand;

    DeployerScenarios(LocalDeckhand deckhand) {
        this.deckhand = deckhand;
    }

    /**
     * The executions a push of {@code image} started, once {@code expected} of them exist (EventBridge
     * delivers asynchronously, as on AWS) and all have finished.
     */
    List<ExecutionDescription> finishedExecutionsOf(EcrImage image, int expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        List<ExecutionDescription> started = Eventually.value(TIMEOUT,
                () -> expected + " executions started by " + image.digest(), () -> Optional.of(startedBy(image))
                        .filter(executions -> executions.size() >= expected));
        for (ExecutionDescription execution : started) {
            deckhand.awaitCompletion(execution.executionArn(), Duration.between(Instant.now(), deadline));
        }
        return started.stream().map(execution -> deckhand.engine().describeExecution(execution.executionArn()))
                .collect(Collectors.toList());
    }

    private List<ExecutionDescription> startedBy(EcrImage image) {
        return deckhand.executions().stream().filter(execution -> execution.input().contains(image.digest()))
                .collect(Collectors.toList());
    }

    /** The execution a push of {@code image} started, once it has entered {@code state}. */
    ExecutionDescription awaitEntered(EcrImage image, String state) throws InterruptedException {
        return Eventually.value(TIMEOUT, () -> "the deployment of " + image.digest() + " to enter '" + state + "'",
                () -> startedBy(image).stream().filter(execution -> deckhand.engine()
                        .getExecutionHistory(execution.executionArn()).stream()
                        .anyMatch(event -> event.type().endsWith("StateEntered") && state.equals(event.stateName())))
                        .findFirst());
    }

    ExecutionDescription finishedExecutionOf(EcrImage image) throws InterruptedException {
        List<ExecutionDescription> executions = finishedExecutionsOf(image, 1);
        if (executions.size() != 1) {
            throw new AssertionError("expected one execution for " + image.digest() + ", found " + executions.size());
        }
        return executions.get(0);
    }

    Service service(String cluster, String service) {
        return deckhand.sdk().ecs().describeServices(request -> request.cluster(cluster).services(service))
                .services().get(0);
    }

    /** The image the service's PRIMARY deployment runs in {@code container}. */
    String servingImage(String cluster, String service, String container) {
        Deployment primary = service(cluster, service).deployments().stream()
                .filter(deployment -> "PRIMARY".equals(deployment.status())).findFirst().orElseThrow();
        return deckhand.sdk().ecs().describeTaskDefinition(request -> request.taskDefinition(primary.taskDefinition()))
                .taskDefinition().containerDefinitions().stream()
                .filter(definition -> definition.name().equals(container)).map(ContainerDefinition::image)
                .findFirst().orElseThrow();
    }

    /** The outcomes published to Deckhand's SNS topic, oldest first. */
    /**
     * Pushes {@code acme/storefront:feature-refused} to dev while it is frozen with {@code whenFrozen:
     * refuse}: the attempt fails in "Refuse to deploy during the freeze", before anything changes.
     */
    ExecutionDescription pushRefusedByAFreeze() throws InterruptedException {
        String before = servingImage("acme-dev", "storefront-dev", "web");

        EcrImage image = deckhand.push("acme/storefront", List.of("feature-refused"), ImageBehaviour.healthy());
        ExecutionDescription execution = finishedExecutionOf(image);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(before);
        assertThat(enteredStates(execution)).contains("Refuse to deploy during the freeze")
                .doesNotContain("Prepare the release", "Wait for the freeze to end");
        return execution;
    }

    /** The states the execution entered, in order. */
    List<String> enteredStates(ExecutionDescription execution) {
        return deckhand.engine().getExecutionHistory(execution.executionArn()).stream()
                .filter(event -> event.type().endsWith("StateEntered")).map(event -> event.stateName()).toList();
    }

    /** The history's record of the execution's attempt at storefront's {@code environment}. */
    dev.deckhand.history.AttemptRecord record(ExecutionDescription execution, String environment) {
        return deckhand.history().page("storefront", environment, 10, null).attempts().stream()
                .filter(attempt -> attempt.executionArn().equals(execution.executionArn())).findFirst().orElseThrow();
    }

    List<JsonNode> published() {
        return deckhand.cloud().topics().messages(deckhand.topicArn()).stream()
                .map(message -> json(message.message())).collect(Collectors.toList());
    }

    static JsonNode json(String text) {
        try {
            return DeckhandJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
