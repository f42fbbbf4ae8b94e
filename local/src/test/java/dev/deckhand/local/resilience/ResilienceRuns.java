package dev.deckhand.local.resilience;

import dev.deckhand.local.Eventually;
import dev.deckhand.local.StartedTasks;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.statemachine.clock.EngineClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;

/** What the resilience tests ask of a running {@link LocalDeckhand}: executions, history, ECS and locks. */
final class ResilienceRuns {

    static final Duration TIMEOUT = Duration.ofSeconds(120);
    /**
     * The resilience suite runs against an ECS that sees a new revision only this long after it was
     * registered, as ECS's eventual consistency can (API_RunTask).
     */
    static final Duration ECS_CONSISTENCY_DELAY = Duration.ofSeconds(3);

    private final LocalDeckhand deckhand;
    private final EcsClient ecs;

    ResilienceRuns(LocalDeckhand deckhand) {
        this.deckhand = deckhand;
        this.ecs = deckhand.sdk().ecs();
    }

    /**
     * The executions a push of {@code image} started, once {@code expected} of them exist (EventBridge
     * delivers asynchronously, as on AWS) and all have ended.
     */
    List<ExecutionDescription> finishedExecutionsOf(EcrImage image, int expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        awaitTrue(() -> startedBy(image).size() >= expected, deadline,
                () -> expected + " executions for " + image.digest());
        List<ExecutionDescription> finished = new ArrayList<>();
        for (ExecutionDescription execution : startedBy(image)) {
            finished.add(deckhand.awaitCompletion(execution.executionArn(), Duration.between(Instant.now(), deadline)));
        }
        return finished;
    }

    ExecutionDescription finishedExecutionOf(EcrImage image) throws InterruptedException {
        List<ExecutionDescription> executions = finishedExecutionsOf(image, 1);
        if (executions.size() != 1) {
            throw new AssertionError("expected one execution for " + image.digest() + ", found " + executions.size());
        }
        return executions.get(0);
    }

    List<ExecutionDescription> startedBy(EcrImage image) {
        return deckhand.executions().stream().filter(execution -> execution.input().contains(image.digest()))
                .collect(Collectors.toList());
    }

    /** One image to push: its repository, tag and behaviour. */
    record Push(String repository, String tag, ImageBehaviour behaviour) {
    }

    /**
     * Pushes the images one after the other, {@code gap} of simulated time apart, and returns them in
     * push order. Each push happens at its own instant and waits there until the execution it starts
     * exists, so every execution's StartTime is distinct and in push order, as it is on AWS for
     * pushes milliseconds apart. (Pushed back to back from the test instead, they would all happen
     * at one simulated instant: the clock stands still while the deployer is busy.)
     */
    List<EcrImage> pushApart(List<Push> pushes, Duration gap) throws InterruptedException {
        EngineClock clock = deckhand.clock();
        Instant first = clock.now();
        AtomicReferenceArray<EcrImage> images = new AtomicReferenceArray<>(pushes.size());
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int i = 0; i < pushes.size(); i++) {
            int index = i;
            Push push = pushes.get(i);
            clock.schedule(first.plus(gap.multipliedBy(i + 1L)), () -> {
                try {
                    EcrImage image = deckhand.push(push.repository(), List.of(push.tag()), push.behaviour());
                    awaitTrue(() -> !startedBy(image).isEmpty(), Instant.now().plus(TIMEOUT),
                            () -> "the execution of " + push);
                    images.set(index, image);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(e);
                } catch (RuntimeException | AssertionError e) {
                    failures.add(e);
                }
            });
        }
        // Simulated time moves on only when a participant goes idle: this one lets it reach the first push.
        clock.beginActivity().close();
        Instant deadline = Instant.now().plus(TIMEOUT);
        awaitTrue(() -> !failures.isEmpty() || images.get(pushes.size() - 1) != null, deadline,
                () -> pushes.size() + " pushes");
        if (!failures.isEmpty()) {
            throw new AssertionError("a push failed: " + failures.get(0), failures.get(0));
        }
        List<EcrImage> pushed = new ArrayList<>();
        for (int i = 0; i < pushes.size(); i++) {
            pushed.add(images.get(i));
        }
        return pushed;
    }

    /**
     * Lets {@code duration} of simulated time pass, as real time passes between a crash and the
     * operator's rerun. (Simulated time otherwise stands still while nothing waits: a rerun started
     * at once would start at the very instant of the stopped execution.)
     */
    void letTimePass(Duration duration) throws InterruptedException {
        EngineClock clock = deckhand.clock();
        Instant target = clock.now().plus(duration);
        clock.schedule(target, () -> { });
        // Simulated time moves on only when a participant goes idle: this one lets it reach the target.
        clock.beginActivity().close();
        awaitTrue(() -> !clock.now().isBefore(target), Instant.now().plus(TIMEOUT), () -> "simulated time " + target);
    }

    /** Waits (real time, bounded) until every execution of the deployer has ended; returns them all. */
    List<ExecutionDescription> allFinished() throws InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        List<ExecutionDescription> finished = new ArrayList<>();
        for (ExecutionDescription execution : deckhand.executions()) {
            finished.add(deckhand.awaitCompletion(execution.executionArn(), Duration.between(Instant.now(), deadline)));
        }
        return finished;
    }

    /** The attempt an execution recorded in the deployment history (DynamoDB). */
    AttemptRecord attemptOf(String service, String environment, String executionArn) {
        return deckhand.history().recent(service, environment, 100).stream()
                .filter(record -> executionArn.equals(record.executionArn()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no attempt in the history for " + executionArn));
    }

    Outcome historyOutcome(String service, String environment, String executionArn) {
        return attemptOf(service, environment, executionArn).outcome();
    }

    Service service(String cluster, String service) {
        return ecs.describeServices(request -> request.cluster(cluster).services(service)).services().get(0);
    }

    /** The service's PRIMARY deployment. */
    Deployment primary(String cluster, String service) {
        return service(cluster, service).deployments().stream()
                .filter(deployment -> "PRIMARY".equals(deployment.status())).findFirst()
                .orElseThrow(() -> new AssertionError(cluster + "/" + service + " has no PRIMARY deployment"));
    }

    /** The image the service's PRIMARY deployment runs in {@code container}. */
    String servingImage(String cluster, String service, String container) {
        String taskDefinition = primary(cluster, service).taskDefinition();
        return ecs.describeTaskDefinition(request -> request.taskDefinition(taskDefinition)).taskDefinition()
                .containerDefinitions().stream().filter(definition -> definition.name().equals(container))
                .map(ContainerDefinition::image).findFirst().orElseThrow();
    }

    /** Revisions registered in a task-definition family. */
    int revisions(String family) {
        // Every revision ever registered, ACTIVE or not: the cleanup after a success deregisters the
        // surplus ones (API_ListTaskDefinitions lists one status at a time, ACTIVE by default).
        return Stream.of(TaskDefinitionStatus.ACTIVE, TaskDefinitionStatus.INACTIVE)
                .mapToInt(status -> (int) ecs.listTaskDefinitionsPaginator(request -> request.familyPrefix(family)
                        .status(status)).taskDefinitionArns().stream().count())
                .sum();
    }

    /** One-off tasks (migrations) Deckhand started in a cluster, running or stopped. */
    int migrationTasks(String cluster) {
        int count = 0;
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            count += StartedTasks.of(ecs, cluster, "deckhand", status).size();
        }
        return count;
    }

    /** Locks (items of the locks table with a holder), read with the real DynamoDB client. */
    List<Map<String, AttributeValue>> heldLocks() {
        return deckhand.sdk().dynamo().scanPaginator(request -> request.tableName(LocalDeckhand.LOCKS_TABLE)
                        .consistentRead(true)).items().stream()
                .filter(item -> item.containsKey("holder"))
                .collect(Collectors.toList());
    }

    /** The names of the states an execution entered, in order. */
    List<String> statesEntered(String executionArn) {
        return deckhand.engine().getExecutionHistory(executionArn).stream()
                .filter(event -> event.type().endsWith("StateEntered")).map(HistoryEvent::stateName)
                .collect(Collectors.toList());
    }

    /** "SUCCEEDED", "DUPLICATE", ... for a succeeded execution; the error for a failed one. */
    static String result(ExecutionDescription execution) {
        return execution.status() == ExecutionStatus.SUCCEEDED
                ? json(execution.output()).path("outcome").asText()
                : execution.status() + ":" + execution.error();
    }

    static JsonNode json(String text) {
        try {
            return DeckhandJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} until it holds or the deadline passes ({@link Eventually}, the one way tests wait). */
    static void awaitTrue(BooleanSupplier condition, Instant deadline, java.util.function.Supplier<String> what)
            throws InterruptedException {
        Eventually.until(java.time.Duration.between(Instant.now(), deadline), what, condition);
    }
}
