package dev.deckhand.local.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.local.ecr.ImageBehaviour;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

// A service's tasks are tasks like any other: ListTasks(serviceName) and DescribeTasks show them,
// started by the deployment id in group "service:<name>"; stopped ones stay visible for at least
// an hour (DescribeTasks reference).
class EcsServiceTasksIT {

    private Workloads workloads;
    private String firstDeployment;

    @BeforeEach
    void start() throws Exception {
        workloads = new Workloads();
        workloads.ecs.seedService("dev", "api-dev", workloads.push("api", "v1", ImageBehaviour.healthy()).uri());
        firstDeployment = workloads.describe("dev", "api-dev").deployments().get(0).id();
    }

    @AfterEach
    void stop() {
        workloads.close();
    }

    @Test
    void seededServiceRunsOneTaskStartedByItsDeployment() {
        List<Task> running = tasks(DesiredStatus.RUNNING);

        assertThat(running).singleElement().satisfies(task -> {
            assertThat(task.lastStatus()).isEqualTo("RUNNING");
            assertThat(task.startedBy()).isEqualTo(firstDeployment);
            assertThat(task.group()).isEqualTo("service:api-dev");
            assertThat(task.containers().get(0).imageDigest()).startsWith("sha256:");
        });
    }

    @Test
    void completedRolloutStopsTheOldTasksAsServiceSchedulerInitiated() {
        deploy(ImageBehaviour.healthy(), "v2");
        String newDeployment = workloads.describe("dev", "api-dev").deployments().get(0).id();
        Task old = tasks(DesiredStatus.RUNNING).stream().filter(t -> t.startedBy().equals(firstDeployment))
                .findFirst().orElseThrow();

        workloads.advance(Duration.ofSeconds(20));

        assertThat(tasks(DesiredStatus.RUNNING)).singleElement()
                .satisfies(t -> assertThat(t.startedBy()).isEqualTo(newDeployment));
        Task stopped = describe(old.taskArn());
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.SERVICE_SCHEDULER_INITIATED);
        assertThat(stopped.stoppedReason()).isEqualTo("Scaling activity initiated by (deployment " + newDeployment + ")");
        assertThat(messages()).contains("(service api-dev) has stopped 1 running tasks: (task " + old.taskArn()
                .substring(old.taskArn().lastIndexOf('/') + 1) + ").");
    }

    @Test
    void crashingTasksOfAFailingRolloutCanBeInspectedForTheirExitCode() {
        deploy(new ImageBehaviour.CrashOnStart(3), "v2");
        String failing = workloads.describe("dev", "api-dev").deployments().get(0).id();

        workloads.advance(Duration.ofSeconds(18));

        List<Task> crashed = tasks(DesiredStatus.STOPPED).stream().filter(t -> t.startedBy().equals(failing)).toList();
        assertThat(crashed).hasSize(3).allSatisfy(task -> {
            assertThat(task.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
            assertThat(task.containers().get(0).exitCode()).isEqualTo(3);
        });
        // Every "has started" event names a task DescribeTasks knows.
        List<String> startedIds = messages().stream().filter(m -> m.contains("has started"))
                .map(m -> m.substring(m.indexOf("(task ") + 6, m.indexOf(")", m.indexOf("(task ")))).toList();
        assertThat(startedIds).isNotEmpty().allSatisfy(id -> assertThat(describe(id).taskArn()).endsWith(id));
    }

    @Test
    void stoppingAServiceTaskMakesTheSchedulerStartAReplacement() {
        Task running = tasks(DesiredStatus.RUNNING).get(0);

        workloads.client.stopTask(r -> r.cluster("dev").task(running.taskArn()));
        workloads.advance(Duration.ofSeconds(5));

        assertThat(tasks(DesiredStatus.RUNNING)).singleElement().satisfies(t -> {
            assertThat(t.taskArn()).isNotEqualTo(running.taskArn());
            assertThat(t.lastStatus()).isEqualTo("RUNNING");
        });
    }

    @Test
    void stoppedTasksAreForgottenAfterAnHour() {
        deploy(ImageBehaviour.healthy(), "v2");
        workloads.advance(Duration.ofSeconds(20));
        assertThat(tasks(DesiredStatus.STOPPED)).hasSize(1);

        workloads.advance(Duration.ofMinutes(59));
        assertThat(tasks(DesiredStatus.STOPPED)).hasSize(1);
        workloads.advance(Duration.ofMinutes(2));
        assertThat(tasks(DesiredStatus.STOPPED)).isEmpty();
    }

    @Test
    void scalingInStopsSurplusTasksAndScalingOutStartsMore() {
        workloads.client.updateService(r -> r.cluster("dev").service("api-dev").desiredCount(3));
        assertThat(tasks(DesiredStatus.RUNNING)).hasSize(3);

        workloads.client.updateService(r -> r.cluster("dev").service("api-dev").desiredCount(1));

        assertThat(tasks(DesiredStatus.RUNNING)).hasSize(1);
        assertThat(tasks(DesiredStatus.STOPPED)).hasSize(2)
                .allSatisfy(t -> assertThat(t.stopCode()).isEqualTo(TaskStopCode.SERVICE_SCHEDULER_INITIATED));
    }

    private void deploy(ImageBehaviour behaviour, String tag) {
        String arn = workloads.register("api-dev", workloads.push("api", tag, behaviour).uri());
        workloads.client.updateService(r -> r.cluster("dev").service("api-dev").taskDefinition(arn));
    }

    private List<Task> tasks(DesiredStatus status) {
        List<String> arns = workloads.client.listTasks(r -> r.cluster("dev").serviceName("api-dev")
                .desiredStatus(status)).taskArns();
        return arns.isEmpty() ? List.of()
                : workloads.client.describeTasks(r -> r.cluster("dev").tasks(arns)).tasks();
    }

    private Task describe(String task) {
        return workloads.client.describeTasks(r -> r.cluster("dev").tasks(task)).tasks().get(0);
    }

    private List<String> messages() {
        return workloads.describe("dev", "api-dev").events().stream().map(ServiceEvent::message).toList();
    }
}
