package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.Eventually;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.ecs.WorkloadTiming;
import dev.deckhand.local.events.Delivery;
import dev.deckhand.local.fault.FaultRule;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * EventBridge delivers at least once and in no particular order ("Amazon EventBridge events":
 * events are delivered on a best-effort basis and may arrive out of order). One deployment's
 * SERVICE_DEPLOYMENT_COMPLETED is held back while another deployment's events arrive: each
 * deployment is woken by its own event only, and the late one still wakes its deployment. On the
 * wall clock, so the held-back wait cannot be ended by simulated time running to its heartbeat.
 */
class OutOfOrderEventsIT {

    /** Far below the waiting states' HeartbeatSeconds (60): an end within it was an event's doing. */
    private static final Duration WELL_WITHIN_THE_HEARTBEAT = Duration.ofSeconds(45);

    private LocalDeckhand deckhand;

    @BeforeEach
    void start() {
        WorkloadTiming quick = new WorkloadTiming(Duration.ofMillis(100), Duration.ofMillis(300),
                Duration.ofMillis(500), Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofSeconds(2));
        deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).realTime(true).workloadTiming(quick).start();
    }

    @AfterEach
    void stop() {
        deckhand.close();
    }

    @Test
    void aDeploymentEventHeldBackWhileAnotherDeploymentsArriveWakesOnlyItsOwnDeploymentLate() throws Exception {
        // Hold back: every ECS Deployment State Change is kept from wait-router until the test delivers it.
        deckhand.cloud().faults().add(FaultRule.dropDeliveries(LocalDeckhand.ECS_DEPLOYMENT_RULE, 1.0));
        EcrImage held = deckhand.push("acme/storefront", List.of("feature-held"), ImageBehaviour.healthy());
        String heldArn = deckhand.executionStartedBy(held, Duration.ofSeconds(30));
        // Deckhand's own ECS deployment (not e.g. the service's first one, whose event is held back too).
        // "Update the service" stored its wait, keyed by that deployment, before it waits for its answer.
        String ecsDeployment = Eventually.value(Duration.ofSeconds(30), () -> "the rollout of " + heldArn + " to start",
                () -> rolloutWaitedForBy(heldArn));
        ObjectNode heldBack = Eventually.value(Duration.ofSeconds(30), () -> "the COMPLETED of " + ecsDeployment
                + " to be held back", () -> deckhand.cloud().events().deliveries().stream()
                        .filter(delivery -> delivery.ruleName().equals(LocalDeckhand.ECS_DEPLOYMENT_RULE))
                        .filter(delivery -> delivery.outcome() == Delivery.Outcome.FAILED)
                        .map(Delivery::event)
                        .filter(event -> eventName(event).equals("SERVICE_DEPLOYMENT_COMPLETED"))
                        .filter(event -> event.path("detail").path("deploymentId").asText().equals(ecsDeployment))
                        .map(event -> (ObjectNode) event.deepCopy())
                        .findFirst());
        Instant heldSince = Instant.now();
        deckhand.cloud().faults().clear();

        // Meanwhile another deployment (another service) starts, rolls out and is woken by its own event.
        EcrImage other = deckhand.push("acme/billing-worker-staging", List.of("meanwhile"), ImageBehaviour.healthy());
        ExecutionDescription otherEnd = deckhand.awaitCompletion(
                deckhand.executionStartedBy(other, Duration.ofSeconds(30)), Duration.ofSeconds(40));
        assertThat(otherEnd.status()).as(otherEnd.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(deckhand.engine().describeExecution(heldArn).status())
                .as("the held deployment, whose event has not come").isEqualTo(ExecutionStatus.RUNNING);

        // The held-back event arrives last (the same event, as EventBridge's retry sends it), and wakes storefront.
        deckhand.cloud().events().publish(heldBack);
        ExecutionDescription heldEnd = deckhand.awaitCompletion(heldArn, Duration.ofSeconds(30));

        assertThat(heldEnd.status()).as(heldEnd.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Duration.between(heldSince, Instant.now())).isLessThan(WELL_WITHIN_THE_HEARTBEAT);
        for (String arn : List.of(heldArn, otherEnd.executionArn())) {
            List<HistoryEvent> history = deckhand.engine().getExecutionHistory(arn);
            // A heartbeat timeout is recorded as TaskTimedOut (States.HeartbeatTimeout): none, both woken by events.
            assertThat(history).extracting(HistoryEvent::type).doesNotContain("TaskTimedOut");
        }
    }

    /** The ECS deployment the execution's stored rollout wait is keyed by, once it has one. */
    private java.util.Optional<String> rolloutWaitedForBy(String executionArn) {
        String prefix = dev.deckhand.wait.WaitKey.rollout("-").replace("-", "");
        return deckhand.sdk().dynamo().scan(scan -> scan.tableName(LocalDeckhand.WAITS_TABLE)).items().stream()
                .filter(item -> item.containsKey(dev.deckhand.aws.DynamoDbWaits.EXECUTION)
                        && item.get(dev.deckhand.aws.DynamoDbWaits.EXECUTION).s().equals(executionArn))
                .map(item -> item.get(dev.deckhand.aws.DynamoDbWaits.PARTITION_KEY).s())
                .filter(key -> key.startsWith(prefix)).map(key -> key.substring(prefix.length())).findFirst();
    }

    private static String eventName(JsonNode event) {
        return event.path("detail").path("eventName").asText();
    }
}
