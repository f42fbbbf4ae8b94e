package dev.deckhand.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rollout states as ECS reports them in DescribeServices (API_Deployment: rolloutState
 * IN_PROGRESS → COMPLETED, or FAILED when the circuit breaker trips; with rollback on, a new
 * PRIMARY deployment of the last COMPLETED task definition appears).
 */
class RolloutVerdictTest {

    private static final String OLD = "arn:aws:ecs:eu-west-1:123456789012:task-definition/storefront-dev:6";
    private static final String NEW = "arn:aws:ecs:eu-west-1:123456789012:task-definition/storefront-dev:7";
    private static final String OURS = "ecs-svc/1111111111111111111";
    private static final String PREVIOUS = "ecs-svc/2222222222222222222";
    private static final String ECS_ROLLBACK = "ecs-svc/3333333333333333333";

    static Stream<Arguments> snapshots() {
        return Stream.of(
                Arguments.of("new revision still starting",
                        service(deployment(OURS, NEW, "PRIMARY", "IN_PROGRESS", 2, 1),
                                deployment(PREVIOUS, OLD, "ACTIVE", "COMPLETED", 2, 2)),
                        "InProgress[progress=1 of 2 tasks running]"),
                Arguments.of("tasks failing but breaker not yet tripped",
                        service(failing(deployment(OURS, NEW, "PRIMARY", "IN_PROGRESS", 2, 0), 2),
                                deployment(PREVIOUS, OLD, "ACTIVE", "COMPLETED", 2, 2)),
                        "InProgress[progress=0 of 2 tasks running, 2 failed]"),
                Arguments.of("completed with our revision primary",
                        service(deployment(OURS, NEW, "PRIMARY", "COMPLETED", 2, 2)),
                        "Completed[]"),
                Arguments.of("breaker tripped without rollback",
                        service(reason(deployment(OURS, NEW, "PRIMARY", "FAILED", 0, 0), "tasks failed to start"),
                                deployment(PREVIOUS, OLD, "ACTIVE", "COMPLETED", 2, 2)),
                        "Failed[reason=rollout FAILED: tasks failed to start, rolledBackByEcs=false]"),
                Arguments.of("breaker rolled back: steady, but on the old revision",
                        service(deployment(ECS_ROLLBACK, OLD, "PRIMARY", "COMPLETED", 2, 2),
                                reason(deployment(OURS, NEW, "ACTIVE", "FAILED", 0, 0), "circuit breaker")),
                        "Failed[reason=rollout FAILED: circuit breaker; ECS rolled the service back to " + OLD
                                + ", rolledBackByEcs=true]"),
                Arguments.of("our deployment already drained after an ECS rollback",
                        service(deployment(ECS_ROLLBACK, OLD, "PRIMARY", "COMPLETED", 2, 2)),
                        "Failed[reason=deployment " + OURS + " is no longer in the service; the service now runs "
                                + OLD + ", rolledBackByEcs=true]"),
                Arguments.of("someone else deployed over us",
                        service(deployment("ecs-svc/4", "arn:aws:ecs:eu-west-1:123456789012:task-definition/x:9",
                                        "PRIMARY", "IN_PROGRESS", 2, 0),
                                deployment(OURS, NEW, "ACTIVE", "IN_PROGRESS", 2, 1)),
                        "Failed[reason=deployment " + OURS + " was replaced by a newer one running "
                                + "arn:aws:ecs:eu-west-1:123456789012:task-definition/x:9, rolledBackByEcs=true]"),
                // API_Deployment: no rolloutState behind a Classic Load Balancer or with another
                // deployment controller; steady as ECS's ServicesStable waiter (waiters-2.json) accepts:
                // one deployment left, runningCount == desiredCount.
                Arguments.of("no rolloutState: the old deployment still drains",
                        service(deployment(OURS, NEW, "PRIMARY", null, 2, 2),
                                deployment(PREVIOUS, OLD, "ACTIVE", null, 2, 2)),
                        "InProgress[progress=2 of 2 tasks running]"),
                Arguments.of("no rolloutState: ours alone but still starting",
                        service(deployment(OURS, NEW, "PRIMARY", null, 2, 1)),
                        "InProgress[progress=1 of 2 tasks running]"),
                Arguments.of("no rolloutState: ours alone at its desired count",
                        service(deployment(OURS, NEW, "PRIMARY", null, 2, 2)),
                        "Completed[]"),
                Arguments.of("no rolloutState: steady, but on another revision",
                        service(deployment(ECS_ROLLBACK, OLD, "PRIMARY", null, 2, 2)),
                        "Failed[reason=deployment " + OURS + " is no longer in the service; the service now runs "
                                + OLD + ", rolledBackByEcs=true]"),
                Arguments.of("service deleted while deploying",
                        new ServiceSnapshot("arn:svc", "DRAINING", List.of(deployment(OURS, NEW, "PRIMARY", "IN_PROGRESS", 2, 0)),
                                List.of()),
                        "Failed[reason=the service is DRAINING, not ACTIVE, rolledBackByEcs=false]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snapshots")
    void judgesOnlyOurDeploymentWithOurRevisionPrimaryAsCompleted(String situation, ServiceSnapshot snapshot,
            String expected) {
        assertThat(RolloutVerdict.judge(snapshot, OURS, NEW).toString()).isEqualTo(expected);
    }

    private static ServiceSnapshot service(EcsDeployment... deployments) {
        return new ServiceSnapshot("arn:aws:ecs:eu-west-1:123456789012:service/acme-dev/storefront-dev", "ACTIVE",
                List.of(deployments), List.of());
    }

    private static EcsDeployment deployment(String id, String taskDefinition, String status, String rollout,
            int desired, int running) {
        return new EcsDeployment(id, taskDefinition, status, rollout, null, desired, running, 0);
    }

    private static EcsDeployment failing(EcsDeployment d, int failed) {
        return new EcsDeployment(d.id(), d.taskDefinitionArn(), d.status(), d.rolloutState(), d.rolloutStateReason(),
                d.desiredCount(), d.runningCount(), failed);
    }

    private static EcsDeployment reason(EcsDeployment d, String reason) {
        return new EcsDeployment(d.id(), d.taskDefinitionArn(), d.status(), d.rolloutState(), reason,
                d.desiredCount(), d.runningCount(), d.failedTasks());
    }
}
