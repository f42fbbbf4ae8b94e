package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.DynamoDbWaits;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.events.Delivery;
import dev.deckhand.local.fault.FaultRule;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.testing.Fixtures;
import dev.deckhand.wait.WaitKey;
import dev.deckhand.wait.WaitRouter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The waiting states are woken by ECS's events (ECS Deployment State Change, ECS Task State
 * Change, as the Amazon ECS developer guide shows them), delivered by the rules the CDK app
 * deploys to wait-router; a lost event costs at most the state's HeartbeatSeconds (60 s).
 */
class EventDrivenWaitsIT {

    private LocalDeckhand deckhand;
    private DeployerScenarios scenarios;

    @BeforeEach
    void start() {
        deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start();
        scenarios = new DeployerScenarios(deckhand);
    }

    @AfterEach
    void stop() {
        deckhand.close();
    }

    @Test
    void aDeploymentIsWokenByEcsEventsNotByHeartbeatsAndLeavesNoWaitBehind() throws Exception {
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-events"), ImageBehaviour.healthy());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).as(execution.error() + ": " + execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        List<HistoryEvent> history = deckhand.engine().getExecutionHistory(execution.executionArn());
        // A heartbeat timeout is recorded as TaskTimedOut (States.HeartbeatTimeout): none, every wait ended by an event.
        assertThat(history).extracting(HistoryEvent::type).doesNotContain("TaskTimedOut");
        assertThat(entered(history)).contains("Start database migration", "Update the service");
        assertThat(delivered(LocalDeckhand.ECS_TASK_RULE)).isNotEmpty();
        assertThat(delivered(LocalDeckhand.ECS_DEPLOYMENT_RULE)).anySatisfy(delivery -> assertThat(
                delivery.event().path("detail").path("eventName").asText()).isEqualTo("SERVICE_DEPLOYMENT_COMPLETED"));
        assertThat(tokensLeft()).as("waits still holding a token").isEmpty();
        String deploymentId = DeployerScenarios.json(execution.output()).path("deploymentId").asText();
        AttemptRecord record = deckhand.history().attempt(deploymentId, 1).orElseThrow();
        assertThat(record.outcome()).isEqualTo(Outcome.SUCCEEDED);
        // ECS's own record of the change (ListServiceDeployments), in the history: it names the service and
        // DescribeServiceDeployments shows it SUCCESSFUL, targeting Deckhand's revision.
        String serviceDeployment = record.details().path("rollout").path("serviceDeploymentArn").asText();
        assertThat(serviceDeployment).contains(":service-deployment/acme-dev/storefront-dev/");
        var described = deckhand.sdk().ecs().describeServiceDeployments(request -> request
                .serviceDeploymentArns(serviceDeployment)).serviceDeployments();
        assertThat(described).singleElement().satisfies(ecs -> assertThat(ecs.statusAsString()).isEqualTo("SUCCESSFUL"));
    }

    @Test
    void aFailedMigrationIsWokenByItsTaskStoppedEvent() throws Exception {
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-schema"), new ImageBehaviour.MigrationExit(1));

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.cause()).contains("exited with code 1");
        assertWokenByEvents(execution, "Start database migration");
        assertThat(delivered(LocalDeckhand.ECS_TASK_RULE)).isNotEmpty();
    }

    @Test
    void aMigrationThatNeverStartsIsWokenByItsTaskStoppedEvent() throws Exception {
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-broken-image"), new ImageBehaviour.PullFailure());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.cause()).contains("stopped before it ran");
        assertWokenByEvents(execution, "Start database migration");
    }

    @Test
    void aRolloutStoppedByTheCircuitBreakerAndItsRollbackAreWokenByEvents() throws Exception {
        // billing-worker/staging has no migration: the crash fails the rollout itself (circuit breaker).
        EcrImage good = deckhand.push("acme/billing-worker-staging", List.of("good"), ImageBehaviour.healthy());
        assertThat(scenarios.finishedExecutionOf(good).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        EcrImage bad = deckhand.push("acme/billing-worker-staging", List.of("crash"), new ImageBehaviour.CrashOnStart(1));

        ExecutionDescription execution = scenarios.finishedExecutionOf(bad);

        assertThat(execution.error()).isEqualTo("Deckhand.RolledBack");
        assertWokenByEvents(execution, "Update the service", "Wait for the rollback");
        // ECS Deployment State Change: the circuit breaker's SERVICE_DEPLOYMENT_FAILED is what woke the rollout.
        assertThat(delivered(LocalDeckhand.ECS_DEPLOYMENT_RULE)).anySatisfy(delivery -> assertThat(
                delivery.event().path("detail").path("eventName").asText()).isEqualTo("SERVICE_DEPLOYMENT_FAILED"));
        assertThat(scenarios.servingImage("acme-staging", "billing-worker-staging", "app")).isEqualTo(good.uri());
    }

    @Test
    void anUnhealthyReleaseRolledBackIsWokenByEventsInItsRolloutAndRollback() throws Exception {
        EcrImage good = deckhand.push("acme/storefront", List.of("feature-good"), ImageBehaviour.healthy());
        assertThat(scenarios.finishedExecutionOf(good).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        EcrImage bad = deckhand.push("acme/storefront", List.of("feature-unhealthy"), new ImageBehaviour.Unhealthy());

        ExecutionDescription execution = scenarios.finishedExecutionOf(bad);

        assertThat(execution.error()).isEqualTo("Deckhand.RolledBack");
        assertWokenByEvents(execution, "Start database migration", "Update the service", "Wait for the rollback");
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(good.uri());
    }

    @Test
    void aStoppedExecutionsWaitIsForgottenByLockCleanupWithoutWaitingForItsEvent() throws Exception {
        // ECS's events are all lost: only lock-cleanup (the dead-execution rule) can forget the wait.
        deckhand.cloud().faults().add(FaultRule.dropDeliveries(LocalDeckhand.ECS_TASK_RULE, 1.0));
        deckhand.cloud().faults().add(FaultRule.dropDeliveries(LocalDeckhand.ECS_DEPLOYMENT_RULE, 1.0));
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-stopped"), ImageBehaviour.healthy());
        ExecutionDescription waiting = scenarios.awaitEntered(image, "Start database migration");
        dev.deckhand.local.Eventually.until(DeployerScenarios.TIMEOUT, () -> "its task token stored: " + tokensLeft(),
                () -> tokensLeft().stream().anyMatch(item -> item.get(DynamoDbWaits.EXECUTION).s()
                        .equals(waiting.executionArn())));

        deckhand.engine().stopExecution(waiting.executionArn(), "Operator.Stop", "stopped from the console");

        dev.deckhand.local.Eventually.until(DeployerScenarios.TIMEOUT, () -> "the stopped execution's wait to go: "
                + tokensLeft(), () -> tokensLeft().isEmpty());
        // A delivery is recorded once its target has answered, which can be just after the wait is gone.
        dev.deckhand.local.Eventually.until(DeployerScenarios.TIMEOUT, () -> "the dead-execution rule's delivery: "
                + delivered(LocalDeckhand.DEAD_EXECUTION_RULE), () -> delivered(LocalDeckhand.DEAD_EXECUTION_RULE).stream()
                        .anyMatch(delivery -> delivery.event().path("detail").path("executionArn").asText()
                                .equals(waiting.executionArn())));
        assertThat(delivered(LocalDeckhand.ECS_TASK_RULE)).isEmpty();
    }

    /** Each named waiting state was entered, no wait ended by its heartbeat, and no token is left behind. */
    private void assertWokenByEvents(ExecutionDescription execution, String... waitingStates) {
        List<HistoryEvent> history = deckhand.engine().getExecutionHistory(execution.executionArn());
        // A heartbeat timeout is recorded as TaskTimedOut (States.HeartbeatTimeout): none, every wait ended by an event.
        assertThat(history).extracting(HistoryEvent::type).doesNotContain("TaskTimedOut");
        assertThat(history).noneSatisfy(event -> assertThat(String.valueOf(event.details())).contains("States.HeartbeatTimeout"));
        assertThat(entered(history)).contains(waitingStates);
        assertThat(tokensLeft()).as("waits still holding a token").isEmpty();
    }

    @Test
    void aMigrationWhoseEventIsLostIsCheckedAfterTheHeartbeatAndNeverStartedAgain() throws Exception {
        // The starting step took the token: its heartbeat leads to the check (which finds the task in
        // the execution's stored wait) and the separate wait, never back to the start (a second task).
        deckhand.cloud().faults().add(FaultRule.dropDeliveries(LocalDeckhand.ECS_TASK_RULE, 1.0));
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-lost-task"), ImageBehaviour.healthy());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).as(execution.error() + ": " + execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        List<HistoryEvent> history = deckhand.engine().getExecutionHistory(execution.executionArn());
        assertThat(history).extracting(HistoryEvent::type).contains("TaskTimedOut");
        assertThat(entered(history)).filteredOn("Start database migration"::equals).hasSize(1);
        assertThat(entered(history)).contains("Check the migration", "Update the service");
        assertThat(tokensLeft()).as("waits still holding a token").isEmpty();
    }

    @Test
    void aRolloutWhoseEventsAreLostStillEndsWithinTheHeartbeatBound() throws Exception {
        // Every deployment event lost on its way to wait-router (the local EventBridge's fault injector).
        deckhand.cloud().faults().add(FaultRule.dropDeliveries(LocalDeckhand.ECS_DEPLOYMENT_RULE, 1.0));
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-lost"), ImageBehaviour.healthy());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).as(execution.error() + ": " + execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(delivered(LocalDeckhand.ECS_DEPLOYMENT_RULE)).isEmpty();
        assertThat(deckhand.cloud().events().deliveries()).anySatisfy(lost -> {
            assertThat(lost.ruleName()).isEqualTo(LocalDeckhand.ECS_DEPLOYMENT_RULE);
            assertThat(lost.error()).contains("dropped by fault injection");
        });
        List<HistoryEvent> history = deckhand.engine().getExecutionHistory(execution.executionArn());
        assertThat(history).extracting(HistoryEvent::type).contains("TaskTimedOut");
        String deploymentId = DeployerScenarios.json(execution.output()).path("deploymentId").asText();
        JsonNode timings = deckhand.history().attempt(deploymentId, 1).orElseThrow().details().path("timings");
        Duration rollout = Duration.between(Instant.parse(timings.path("updated").asText()),
                Instant.parse(timings.path("rollout").asText()));
        // The simulated rollout takes seconds; without its event the heartbeat (60 s) ends the wait.
        assertThat(rollout).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(61));
    }

    @Test
    void theWaitsTableMatchesEventsToTokensByDeploymentWhateverTheOrder() {
        List<String> woken = new ArrayList<>();
        WaitRouter router = new WaitRouter(new DynamoDbWaits(deckhand.aws().dynamoDb(), LocalDeckhand.WAITS_TABLE),
                (token, output) -> woken.add(token), Clock.systemUTC(), dev.deckhand.aws.Wiring.ecsJudges());
        com.fasterxml.jackson.databind.JsonNode rollout = dev.deckhand.json.DeckhandJson.MAPPER.createObjectNode()
                .put("ecsDeploymentId", "ecs-svc/ours");

        // Before the token: the event is kept, and the token stored later is woken at once.
        router.onEvent(WaitKey.rollout("ecs-svc/early"), deploymentEvent("SERVICE_DEPLOYMENT_COMPLETED"));
        assertThat(router.await(WaitKey.rollout("ecs-svc/early"), rollout, "token-early", "exec").outcome())
                .isEqualTo("WOKEN_BY_EARLIER_EVENT");
        // Another deployment of the same service wakes nobody; twice delivered wakes once.
        router.await(WaitKey.rollout("ecs-svc/ours"), rollout, "token-ours", "exec");
        assertThat(router.onEvent(WaitKey.rollout("ecs-svc/other"), deploymentEvent("SERVICE_DEPLOYMENT_COMPLETED")).outcome())
                .isEqualTo("NOBODY_WAITING");
        assertThat(router.onEvent(WaitKey.rollout("ecs-svc/ours"), deploymentEvent("SERVICE_DEPLOYMENT_FAILED")).outcome())
                .isEqualTo("WOKEN");
        assertThat(router.onEvent(WaitKey.rollout("ecs-svc/ours"), deploymentEvent("SERVICE_DEPLOYMENT_FAILED")).outcome())
                .isEqualTo("NOBODY_WAITING");

        assertThat(woken).containsExactly("token-early", "token-ours");
        assertThat(tokensLeft()).isEmpty();
        Map<String, AttributeValue> kept = deckhand.sdk().dynamo().getItem(get -> get.tableName(LocalDeckhand.WAITS_TABLE)
                .key(Map.of(DynamoDbWaits.PARTITION_KEY, AttributeValue.fromS(WaitKey.rollout("ecs-svc/other"))))).item();
        assertThat(kept).containsKey(DynamoDbWaits.EXPIRES_AT).doesNotContainKey("token");
    }

    private static com.fasterxml.jackson.databind.JsonNode deploymentEvent(String eventName) {
        return dev.deckhand.json.DeckhandJson.MAPPER.createObjectNode().put("eventName", eventName);
    }

    @Test
    void ofThreeWaitersForTheLockTheNewestProceedsAndTheOthersAreSupersededWithoutPolling() throws Exception {
        EcrImage holder = deckhand.push("acme/storefront", List.of("feature-holder"), ImageBehaviour.healthy());
        scenarios.awaitEntered(holder, "Prepare the release");
        List<EcrImage> waiters = new ArrayList<>();
        for (String tag : List.of("feature-w1", "feature-w2", "feature-w3")) {
            EcrImage waiter = deckhand.push("acme/storefront", List.of(tag), ImageBehaviour.healthy());
            ExecutionDescription waiting = scenarios.awaitEntered(waiter, "Wait for the running deployment");
            // Simulated time moves past its start, so the next push is unambiguously newer.
            dev.deckhand.local.Eventually.until(DeployerScenarios.TIMEOUT, () -> "time to pass " + waiting.startDate(),
                    () -> deckhand.clock().now().isAfter(waiting.startDate()));
            waiters.add(waiter);
        }

        assertThat(outcome(scenarios.finishedExecutionOf(holder))).isEqualTo("SUCCEEDED");
        assertThat(outcome(scenarios.finishedExecutionOf(waiters.get(0)))).isEqualTo("SUPERSEDED");
        assertThat(outcome(scenarios.finishedExecutionOf(waiters.get(1)))).isEqualTo("SUPERSEDED");
        assertThat(outcome(scenarios.finishedExecutionOf(waiters.get(2)))).isEqualTo("SUCCEEDED");
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(waiters.get(2).uri());
        for (EcrImage waiter : waiters) {
            List<HistoryEvent> history = deckhand.engine().getExecutionHistory(
                    scenarios.finishedExecutionOf(waiter).executionArn());
            // Woken, not timed out: each waiter tried the lock once before waiting (with its claim) and
            // once when woken.
            assertThat(history).extracting(HistoryEvent::type).doesNotContain("TaskTimedOut");
            assertThat(entered(history)).filteredOn("Claim the deployment and take the lock"::equals).hasSize(1);
            assertThat(entered(history)).filteredOn("Take the environment's lock"::equals).hasSize(1);
        }
        Map<String, AttributeValue> lock = deckhand.sdk().dynamo().scan(scan -> scan.tableName(LocalDeckhand.LOCKS_TABLE))
                .items().stream().filter(item -> item.get("pk").s().startsWith("LOCK#")).findFirst().orElseThrow();
        assertThat(lock).doesNotContainKeys("holder", "waiterToken");
    }

    private static String outcome(ExecutionDescription execution) {
        return DeployerScenarios.json(execution.output()).path("outcome").asText();
    }

    private List<Delivery> delivered(String rule) {
        return deckhand.cloud().events().deliveries().stream()
                .filter(delivery -> delivery.ruleName().equals(rule) && delivery.outcome() == Delivery.Outcome.DELIVERED)
                .toList();
    }

    private List<String> entered(List<HistoryEvent> history) {
        return history.stream().filter(event -> event.type().equals("TaskStateEntered"))
                .map(HistoryEvent::stateName).toList();
    }

    private List<Map<String, AttributeValue>> tokensLeft() {
        return deckhand.sdk().dynamo().scan(scan -> scan.tableName(LocalDeckhand.WAITS_TABLE)).items().stream()
                .filter(item -> item.containsKey("token")).toList();
    }
}
