package dev.deckhand.local.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.ecr.ImageBehaviour;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;

// Rolling update semantics from the ECS developer guide ("Deploy Amazon ECS services by replacing
// tasks", "How the Amazon ECS deployment circuit breaker detects failures") and event shapes from
// "Amazon ECS service deployment state change events". Default timing: tasks RUNNING 5 s after
// launch, COMPLETED 15 s later; a crashing task fails 6 s after launch; breaker threshold 3.
class EcsRolloutIT {

    private Workloads workloads;
    private String v1;

    @BeforeEach
    void start() throws Exception {
        workloads = new Workloads();
        v1 = workloads.push("api", "v1", ImageBehaviour.healthy()).uri();
        workloads.ecs.seedService("dev", "api-dev", v1);
    }

    @AfterEach
    void stop() {
        workloads.close();
    }

    @Test
    void seededServiceIsSteadyOnItsFirstRevision() {
        Service service = workloads.describe("dev", "api-dev");

        assertThat(service.serviceArn()).isEqualTo("arn:aws:ecs:us-east-1:" + Workloads.ACCOUNT + ":service/dev/api-dev");
        assertThat(service.taskDefinition()).endsWith(":task-definition/api-dev:1");
        assertThat(service.runningCount()).isEqualTo(1);
        assertThat(service.deployments()).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo("PRIMARY");
            assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED);
        });
        assertThat(service.deploymentConfiguration().deploymentCircuitBreaker().enable()).isTrue();
        assertThat(workloads.events.all()).noneMatch(e -> e.path("source").asText().equals("aws.ecs"));
    }

    @Test
    void healthyRolloutCompletesAfterSimulatedTimeAndTheOldDeploymentDrains() {
        String v2 = deployRevision(workloads.push("api", "v2", ImageBehaviour.healthy()).uri());

        Service rolling = workloads.describe("dev", "api-dev");
        assertThat(rolling.deployments()).hasSize(2);
        Deployment primary = rolling.deployments().get(0);
        assertThat(primary.status()).isEqualTo("PRIMARY");
        assertThat(primary.taskDefinition()).isEqualTo(v2);
        assertThat(primary.rolloutState()).isEqualTo(DeploymentRolloutState.IN_PROGRESS);
        assertThat(primary.rolloutStateReason()).isEqualTo("ECS deployment " + primary.id() + " in progress.");
        assertThat(primary.pendingCount()).isEqualTo(1);
        assertThat(rolling.deployments().get(1).status()).isEqualTo("ACTIVE");
        assertThat(rolling.deployments().get(1).runningCount()).isEqualTo(1);
        assertThat(primary.id()).matches("ecs-svc/\\d{19}");

        workloads.advance(Duration.ofSeconds(5));
        Service running = workloads.describe("dev", "api-dev");
        assertThat(running.deployments().get(0).runningCount()).isEqualTo(1);
        assertThat(running.deployments().get(0).rolloutState()).isEqualTo(DeploymentRolloutState.IN_PROGRESS);
        assertThat(running.runningCount()).isEqualTo(2);

        workloads.advance(Duration.ofSeconds(15));
        Service steady = workloads.describe("dev", "api-dev");
        assertThat(steady.deployments()).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(primary.id());
            assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED);
            assertThat(d.rolloutStateReason()).isEqualTo("ECS deployment " + primary.id() + " completed.");
            assertThat(d.updatedAt()).isEqualTo(Instant.parse("2026-11-23T10:00:20Z"));
        });
        assertThat(steady.runningCount()).isEqualTo(1);
        assertThat(messages(steady)).first().isEqualTo("(service api-dev) has reached a steady state.");
        assertThat(messages(steady)).anyMatch(m -> m.matches("\\(service api-dev\\) has started 1 tasks: \\(task [0-9a-f]{32}\\)\\."))
                .anyMatch(m -> m.matches("\\(service api-dev\\) has stopped 1 running tasks: \\(task [0-9a-f]{32}\\)\\."));

        assertThat(workloads.deploymentEvents()).extracting(e -> e.path("detail").path("eventName").asText())
                .containsExactly("SERVICE_DEPLOYMENT_IN_PROGRESS", "SERVICE_DEPLOYMENT_COMPLETED");
        ObjectNode completed = workloads.deploymentEvents().get(1);
        assertThat(completed.path("source").asText()).isEqualTo("aws.ecs");
        assertThat(completed.path("time").asText()).isEqualTo("2026-11-23T10:00:20Z");
        assertThat(completed.path("resources").get(0).asText()).isEqualTo(steady.serviceArn());
        assertThat(completed.path("detail").path("eventType").asText()).isEqualTo("INFO");
        assertThat(completed.path("detail").path("deploymentId").asText()).isEqualTo(primary.id());
        assertThat(workloads.events.ofType("ECS Service Action")).singleElement()
                .satisfies(e -> assertThat(e.path("detail").path("eventName").asText()).isEqualTo("SERVICE_STEADY_STATE"));
    }

    @Test
    void eventsAreEmittedWhenDueEvenIfNobodyDescribesTheService() {
        deployRevision(workloads.push("api", "v2", ImageBehaviour.healthy()).uri());
        workloads.advance(Duration.ofMinutes(1));

        assertThat(workloads.deploymentEvents()).hasSize(1);
        workloads.ecs.emitDueEvents();

        assertThat(workloads.deploymentEvents()).extracting(e -> e.path("detail").path("eventName").asText())
                .containsExactly("SERVICE_DEPLOYMENT_IN_PROGRESS", "SERVICE_DEPLOYMENT_COMPLETED");
        // Stamped with the simulated instant the rollout completed, not the instant it was observed.
        assertThat(workloads.deploymentEvents().get(1).path("time").asText()).isEqualTo("2026-11-23T10:00:20Z");
    }

    @Test
    void crashingRolloutFailsOnceTheCircuitBreakerThresholdIsReached() {
        breaker(true, false);
        deployRevision(workloads.push("api", "v2", ImageBehaviour.crashOnStart()).uri());

        workloads.advance(Duration.ofSeconds(17));
        Deployment stillTrying = workloads.describe("dev", "api-dev").deployments().get(0);
        assertThat(stillTrying.rolloutState()).isEqualTo(DeploymentRolloutState.IN_PROGRESS);
        assertThat(stillTrying.failedTasks()).isEqualTo(2);

        workloads.advance(Duration.ofSeconds(1));
        Service failed = workloads.describe("dev", "api-dev");
        Deployment primary = failed.deployments().get(0);
        assertThat(primary.status()).isEqualTo("PRIMARY");
        assertThat(primary.rolloutState()).isEqualTo(DeploymentRolloutState.FAILED);
        assertThat(primary.failedTasks()).isEqualTo(3);
        assertThat(primary.rolloutStateReason()).isEqualTo("ECS deployment circuit breaker: task failed to start.");
        assertThat(failed.deployments().get(1).rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED);
        assertThat(messages(failed)).first()
                .isEqualTo("(service api-dev) (deployment " + primary.id() + ") deployment failed: tasks failed to start.");
        ObjectNode failedEvent = workloads.deploymentEvents().get(1);
        assertThat(failedEvent.path("detail").path("eventName").asText()).isEqualTo("SERVICE_DEPLOYMENT_FAILED");
        assertThat(failedEvent.path("detail").path("eventType").asText()).isEqualTo("ERROR");

        workloads.advance(Duration.ofMinutes(10));
        assertThat(workloads.describe("dev", "api-dev").deployments().get(0).failedTasks()).isEqualTo(3);
    }

    @Test
    void crashingRolloutWithoutCircuitBreakerStaysInProgressForever() {
        breaker(false, false);
        deployRevision(workloads.push("api", "v2", ImageBehaviour.crashOnStart()).uri());

        workloads.advance(Duration.ofMinutes(10));

        Deployment primary = workloads.describe("dev", "api-dev").deployments().get(0);
        assertThat(primary.rolloutState()).isEqualTo(DeploymentRolloutState.IN_PROGRESS);
        assertThat(primary.failedTasks()).isEqualTo(100);
        assertThat(workloads.deploymentEvents()).hasSize(1);
    }

    @Test
    void circuitBreakerRollbackStartsANewDeploymentOfTheLastCompletedRevisionWhichCompletes() {
        String v1Arn = workloads.describe("dev", "api-dev").taskDefinition();
        String v1DeploymentId = workloads.describe("dev", "api-dev").deployments().get(0).id();
        String v2 = deployRevision(workloads.push("api", "v2", ImageBehaviour.crashOnStart()).uri());
        String v2DeploymentId = workloads.describe("dev", "api-dev").deployments().get(0).id();

        workloads.advance(Duration.ofSeconds(18));
        Service rollingBack = workloads.describe("dev", "api-dev");
        assertThat(rollingBack.taskDefinition()).isEqualTo(v1Arn);
        assertThat(rollingBack.deployments()).hasSize(3);
        Deployment rollback = rollingBack.deployments().get(0);
        assertThat(rollback.status()).isEqualTo("PRIMARY");
        assertThat(rollback.taskDefinition()).isEqualTo(v1Arn);
        assertThat(rollback.rolloutState()).isEqualTo(DeploymentRolloutState.IN_PROGRESS);
        assertThat(rollback.rolloutStateReason())
                .isEqualTo("ECS deployment circuit breaker: rolling back to deploymentId " + v1DeploymentId + ".");
        assertThat(rollingBack.deployments().get(1)).satisfies(d -> {
            assertThat(d.id()).isEqualTo(v2DeploymentId);
            assertThat(d.taskDefinition()).isEqualTo(v2);
            assertThat(d.status()).isEqualTo("ACTIVE");
            assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.FAILED);
        });
        assertThat(messages(rollingBack)).contains("(service api-dev) rolling back to deployment " + v1DeploymentId + ".");

        workloads.advance(Duration.ofSeconds(20));
        Service steady = workloads.describe("dev", "api-dev");
        // The "false success" a deployer must see through: a COMPLETED PRIMARY that is not the new revision.
        assertThat(steady.deployments()).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(rollback.id());
            assertThat(d.taskDefinition()).isEqualTo(v1Arn);
            assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED);
        });
        assertThat(workloads.deploymentEvents()).extracting(
                e -> e.path("detail").path("eventName").asText() + " " + e.path("detail").path("deploymentId").asText())
                .containsExactly(
                        "SERVICE_DEPLOYMENT_IN_PROGRESS " + v2DeploymentId,
                        "SERVICE_DEPLOYMENT_FAILED " + v2DeploymentId,
                        "SERVICE_DEPLOYMENT_IN_PROGRESS " + rollback.id(),
                        "SERVICE_DEPLOYMENT_COMPLETED " + rollback.id());
    }

    @Test
    void imageUnknownToEcrFailsTheRolloutLikeAPullFailure() {
        deployRevision(Workloads.REGISTRY + "/api:never-pushed");

        workloads.advance(Duration.ofSeconds(15));

        Service service = workloads.describe("dev", "api-dev");
        assertThat(service.deployments().get(0).taskDefinition()).endsWith("api-dev:1");
        assertThat(service.deployments().get(1).rolloutState()).isEqualTo(DeploymentRolloutState.FAILED);
        assertThat(service.deployments().get(1).failedTasks()).isEqualTo(3);
    }

    @Test
    void forceNewDeploymentStartsADeploymentOfTheSameRevision() {
        String current = workloads.describe("dev", "api-dev").taskDefinition();

        workloads.client.updateService(r -> r.cluster("dev").service("api-dev").forceNewDeployment(true));

        List<Deployment> deployments = workloads.describe("dev", "api-dev").deployments();
        assertThat(deployments).hasSize(2);
        assertThat(deployments).extracting(Deployment::taskDefinition).containsOnly(current);
        assertThat(deployments.get(0).rolloutState()).isEqualTo(DeploymentRolloutState.IN_PROGRESS);
    }

    @Test
    void changingOnlyTheDesiredCountStartsNoDeployment() {
        Service scaled = workloads.client.updateService(r -> r.cluster("dev").service("api-dev").desiredCount(3))
                .service();

        assertThat(scaled.desiredCount()).isEqualTo(3);
        assertThat(scaled.deployments()).singleElement()
                .satisfies(d -> assertThat(d.runningCount()).isEqualTo(3));
        assertThat(workloads.deploymentEvents()).isEmpty();
    }

    @Test
    void aNewerUpdateSupersedesARolloutInProgress() {
        deployRevision(workloads.push("api", "v2", ImageBehaviour.healthy()).uri());
        workloads.advance(Duration.ofSeconds(3));
        String v3 = deployRevision(workloads.push("api", "v3", ImageBehaviour.healthy()).uri());

        assertThat(workloads.describe("dev", "api-dev").deployments()).extracting(Deployment::status)
                .containsExactly("PRIMARY", "ACTIVE", "ACTIVE");
        workloads.advance(Duration.ofSeconds(20));

        assertThat(workloads.describe("dev", "api-dev").deployments()).singleElement().satisfies(d -> {
            assertThat(d.taskDefinition()).isEqualTo(v3);
            assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED);
        });
        assertThat(workloads.deploymentEvents()).extracting(e -> e.path("detail").path("eventName").asText())
                .containsExactly("SERVICE_DEPLOYMENT_IN_PROGRESS", "SERVICE_DEPLOYMENT_IN_PROGRESS",
                        "SERVICE_DEPLOYMENT_COMPLETED");
    }

    private String deployRevision(String image) {
        String arn = workloads.register("api-dev", image);
        workloads.client.updateService(r -> r.cluster("dev").service("api-dev").taskDefinition(arn));
        return arn;
    }

    private void breaker(boolean enable, boolean rollback) {
        workloads.client.updateService(r -> r.cluster("dev").service("api-dev").deploymentConfiguration(
                c -> c.deploymentCircuitBreaker(b -> b.enable(enable).rollback(rollback))));
    }

    private static List<String> messages(Service service) {
        return service.events().stream().map(ServiceEvent::message).toList();
    }
}
