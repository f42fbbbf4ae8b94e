package dev.deckhand.local.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.ecr.ImageBehaviour;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ConflictException;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

// One-off tasks per the ECS API reference (RunTask, DescribeTasks, StopTask) and the developer
// guide ("Amazon ECS task lifecycle", "Amazon ECS task state change events"). Default timing:
// PENDING 2 s and RUNNING 5 s after launch; containers exit 10 s after RUNNING (crash: 1 s).
class EcsTasksIT {

    private Workloads workloads;

    @BeforeEach
    void start() throws Exception {
        workloads = new Workloads();
        workloads.client.createCluster(r -> r.clusterName("dev"));
    }

    @AfterEach
    void stop() {
        workloads.close();
    }

    @Test
    void oneOffTaskGoesThroughItsLifecycleAndExitsZero() {
        String definition = workloads.register("api", workloads.push("api", "v1", ImageBehaviour.healthy()).uri());
        Task started = run(definition, "deckhand/migrate-1");

        assertThat(started.lastStatus()).isEqualTo("PROVISIONING");
        assertThat(started.desiredStatus()).isEqualTo("RUNNING");
        assertThat(started.taskArn()).matches("arn:aws:ecs:us-east-1:" + Workloads.ACCOUNT + ":task/dev/[0-9a-f]{32}");
        assertThat(started.startedBy()).isEqualTo("deckhand/migrate-1");
        assertThat(started.group()).isEqualTo("family:api");
        assertThat(statusAfter(started, 2)).isEqualTo("PENDING");
        assertThat(statusAfter(started, 3)).isEqualTo("RUNNING");
        assertThat(statusAfter(started, 9)).isEqualTo("RUNNING");

        workloads.advance(Duration.ofSeconds(1));
        Task stopped = describe(started.taskArn());
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        assertThat(stopped.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(stopped.startedAt()).isEqualTo(Instant.parse("2026-11-23T10:00:05Z"));
        assertThat(stopped.stoppedAt()).isEqualTo(Instant.parse("2026-11-23T10:00:15Z"));
        assertThat(stopped.containers()).singleElement().satisfies(c -> {
            assertThat(c.exitCode()).isZero();
            assertThat(c.lastStatus()).isEqualTo("STOPPED");
            assertThat(c.imageDigest()).startsWith("sha256:");
        });
    }

    @Test
    void migrationImageExitsWithItsCodeAndCommandOverrideIsKept() {
        String definition = workloads.register("api", workloads.push("api", "v2", ImageBehaviour.migrationExit(1)).uri());
        Task started = workloads.client.runTask(request(definition, null).toBuilder()
                .overrides(o -> o.containerOverrides(ContainerOverride.builder().name("app").command("bin/migrate", "--up")
                        .build())).build())
                .tasks().get(0);

        workloads.advance(Duration.ofSeconds(15));

        Task stopped = describe(started.taskArn());
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(1);
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        assertThat(stopped.overrides().containerOverrides().get(0).command()).containsExactly("bin/migrate", "--up");
    }

    @Test
    void failingSidecarDoesNotHideTheEssentialContainersExitCode() {
        String app = workloads.push("api", "v1", ImageBehaviour.healthy()).uri();
        String migrator = workloads.push("migrator", "v1", ImageBehaviour.migrationExit(3)).uri();
        String definition = registerTwoContainers(app, true, migrator, false);

        Task started = run(definition, null);
        workloads.advance(Duration.ofSeconds(15));

        Task stopped = describe(started.taskArn());
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        assertThat(exitCodes(stopped)).containsExactly(0, 3);
    }

    @Test
    void essentialMigrationContainerDecidesTheTaskWhileTheSidecarIsStopped() {
        String migrator = workloads.push("migrator", "v1", ImageBehaviour.migrationExit(2)).uri();
        String agent = workloads.push("agent", "v1", ImageBehaviour.hangs()).uri();
        String definition = registerTwoContainers(migrator, true, agent, false);

        Task started = run(definition, null);
        workloads.advance(Duration.ofSeconds(15));

        Task stopped = describe(started.taskArn());
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        // The sidecar ignores SIGTERM and is killed: 137.
        assertThat(exitCodes(stopped)).containsExactly(2, 137);
    }

    @Test
    void crashingImageStopsTheTaskSoonAfterItStarts() {
        String definition = workloads.register("api", workloads.push("api", "v1", ImageBehaviour.crashOnStart()).uri());
        Task started = run(definition, null);

        workloads.advance(Duration.ofSeconds(6));

        Task stopped = describe(started.taskArn());
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(1);
    }

    @Test
    void imageUnknownToEcrStopsTheTaskWithCannotPullContainerErrorAndNoExitCode() {
        String image = Workloads.REGISTRY + "/api:never-pushed";
        String definition = workloads.register("api", image);
        Task started = run(definition, null);

        workloads.advance(Duration.ofSeconds(5));

        Task stopped = describe(started.taskArn());
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
        assertThat(stopped.stoppedReason()).startsWith("CannotPullContainerError:").contains(image);
        assertThat(stopped.startedAt()).isNull();
        assertThat(stopped.containers()).singleElement().satisfies(c -> {
            assertThat(c.exitCode()).isNull();
            assertThat(c.reason()).startsWith("CannotPullContainerError:");
        });
    }

    @Test
    void imagePushedAsPullFailureCannotBePulledEither() {
        String definition = workloads.register("api", workloads.push("api", "v1", ImageBehaviour.pullFailure()).uri());
        Task started = run(definition, null);

        workloads.advance(Duration.ofSeconds(5));

        assertThat(describe(started.taskArn()).stoppedReason()).startsWith("CannotPullContainerError: pull access denied");
    }

    @Test
    void sameClientTokenReturnsTheSameTask() {
        String definition = workloads.register("api", workloads.push("api", "v1", ImageBehaviour.healthy()).uri());
        RunTaskRequest request = request(definition, "deckhand").toBuilder().clientToken("deploy-42-migration").build();

        Task first = workloads.client.runTask(request).tasks().get(0);
        workloads.advance(Duration.ofSeconds(6));
        Task second = workloads.client.runTask(request).tasks().get(0);

        assertThat(second.taskArn()).isEqualTo(first.taskArn());
        assertThat(second.lastStatus()).isEqualTo("RUNNING");
        assertThat(workloads.client.listTasks(r -> r.cluster("dev").startedBy("deckhand")).taskArns())
                .containsExactly(first.taskArn());
    }

    @Test
    void sameClientTokenWithOtherParametersIsAConflict() {
        String definition = workloads.register("api", workloads.push("api", "v1", ImageBehaviour.healthy()).uri());
        RunTaskRequest request = request(definition, "deckhand").toBuilder().clientToken("deploy-42-migration").build();
        workloads.client.runTask(request);

        assertThatThrownBy(() -> workloads.client.runTask(request.toBuilder().startedBy("someone-else").build()))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("deploy-42-migration");
    }

    @Test
    void clientTokenExpiresAfter24Hours() {
        String definition = workloads.register("api", workloads.push("api", "v1", ImageBehaviour.healthy()).uri());
        RunTaskRequest request = request(definition, "deckhand").toBuilder().clientToken("deploy-42-migration").build();
        Task first = workloads.client.runTask(request).tasks().get(0);

        workloads.advance(Duration.ofHours(24));

        assertThat(workloads.client.runTask(request).tasks().get(0).taskArn()).isNotEqualTo(first.taskArn());
    }

    @Test
    void stopTaskStopsAHangingTaskAsUserInitiated() {
        String definition = workloads.register("api", workloads.push("api", "v1", ImageBehaviour.hangs()).uri());
        Task started = run(definition, null);
        workloads.advance(Duration.ofHours(1));
        assertThat(describe(started.taskArn()).lastStatus()).isEqualTo("RUNNING");

        Task stopped = workloads.client.stopTask(r -> r.cluster("dev").task(started.taskArn())
                .reason("migration timed out")).task();

        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.desiredStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
        assertThat(stopped.stoppedReason()).isEqualTo("migration timed out");
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(137);
    }

    @Test
    void taskStateChangeEventsFollowTheLifecycleWithIsoTimestamps() {
        String definition = workloads.register("api", workloads.push("api", "v1", ImageBehaviour.migrationExit(4)).uri());
        Task started = run(definition, "deckhand");
        workloads.advance(Duration.ofSeconds(20));
        workloads.ecs.emitDueEvents();

        List<ObjectNode> changes = workloads.events.ofType("ECS Task State Change");
        assertThat(changes).extracting(e -> e.path("detail").path("lastStatus").asText())
                .containsExactly("PROVISIONING", "PENDING", "RUNNING", "STOPPED");
        ObjectNode last = changes.get(3);
        assertThat(last.path("source").asText()).isEqualTo("aws.ecs");
        assertThat(last.path("resources").get(0).asText()).isEqualTo(started.taskArn());
        assertThat(last.path("time").asText()).isEqualTo("2026-11-23T10:00:15Z");
        assertThat(last.path("detail").path("stoppedAt").asText()).isEqualTo("2026-11-23T10:00:15Z");
        assertThat(last.path("detail").path("stopCode").asText()).isEqualTo("EssentialContainerExited");
        assertThat(last.path("detail").path("containers").get(0).path("exitCode").asInt()).isEqualTo(4);
        assertThat(last.path("detail").path("startedBy").asText()).isEqualTo("deckhand");
        assertThat(changes).extracting(e -> e.path("detail").path("version").asInt()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void describeTasksReportsUnknownTasksAsMissing() {
        var response = workloads.client.describeTasks(r -> r.cluster("dev").tasks("0123456789abcdef0123456789abcdef"));

        assertThat(response.tasks()).isEmpty();
        assertThat(response.failures()).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("MISSING");
            assertThat(f.arn()).endsWith(":task/dev/0123456789abcdef0123456789abcdef");
        });
    }

    @Test
    void stoppingAnUnknownTaskIsAnInvalidParameter() {
        assertThatThrownBy(() -> workloads.client.stopTask(r -> r.cluster("dev").task("0123456789abcdef0123456789abcdef")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("The referenced task was not found.");
    }

    @Test
    void runTaskRejectsUnknownTaskDefinitionsContainersAndMissingNetworkConfiguration() {
        String definition = workloads.register("api", workloads.push("api", "v1", ImageBehaviour.healthy()).uri());

        assertThatThrownBy(() -> workloads.client.runTask(request("ghost:1", null)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("TaskDefinition not found.");
        assertThatThrownBy(() -> workloads.client.runTask(request(definition, null).toBuilder()
                .overrides(o -> o.containerOverrides(ContainerOverride.builder().name("web").command("x").build())).build()))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Override for container named web is not a container in the TaskDefinition.");
        assertThatThrownBy(() -> workloads.client.runTask(r -> r.cluster("dev").taskDefinition(definition)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Network Configuration must be provided");
    }

    private String registerTwoContainers(String first, boolean firstEssential, String second, boolean secondEssential) {
        return workloads.client.registerTaskDefinition(r -> r.family("api")
                .networkMode("awsvpc").requiresCompatibilitiesWithStrings("FARGATE").cpu("256").memory("512")
                .containerDefinitions(
                        ContainerDefinition.builder().name("main").image(first).essential(firstEssential).build(),
                        ContainerDefinition.builder().name("sidecar").image(second).essential(secondEssential).build()))
                .taskDefinition().taskDefinitionArn();
    }

    @Test
    void runTaskAppliesTheEcsTagRulesAndStopTaskDeletesTheTasksTags() {
        String definition = workloads.register("api", workloads.push("api", "v1", ImageBehaviour.healthy()).uri());
        // API_RunTask, tags (the ECS Tag type): no aws: prefix on keys or values, at most 50 per resource.
        assertThatThrownBy(() -> workloads.client.runTask(request(definition, null).toBuilder()
                .tags(t -> t.key("aws:owner").value("x")).build()))
                .isInstanceOf(software.amazon.awssdk.services.ecs.model.InvalidParameterException.class);
        Task tagged = workloads.client.runTask(request(definition, null).toBuilder()
                .tags(t -> t.key("deckhand:task").value("migration")).build()).tasks().get(0);
        assertThat(workloads.ecs.taskTags(tagged.taskArn())).containsEntry("deckhand:task", "migration");

        workloads.client.stopTask(r -> r.cluster("dev").task(tagged.taskArn()));

        // API_StopTask: "Any tags associated with the task will be deleted."
        assertThat(workloads.ecs.taskTags(tagged.taskArn())).isEmpty();
    }

    private Task run(String definition, String startedBy) {
        return workloads.client.runTask(request(definition, startedBy)).tasks().get(0);
    }

    private static RunTaskRequest request(String definition, String startedBy) {
        return RunTaskRequest.builder().cluster("dev").taskDefinition(definition).launchType("FARGATE")
                .startedBy(startedBy)
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-1")))
                .build();
    }

    private String statusAfter(Task task, int seconds) {
        workloads.advance(Duration.ofSeconds(seconds));
        return describe(task.taskArn()).lastStatus();
    }

    private Task describe(String taskArn) {
        return workloads.client.describeTasks(r -> r.cluster("dev").tasks(taskArn)).tasks().get(0);
    }

    private static List<Integer> exitCodes(Task task) {
        return task.containers().stream().map(Container::exitCode).toList();
    }

    // API_ListTasks, request parameter startedBy: "When you specify startedBy as the filter, it
    // must be the only filter that you use." ECS answers InvalidParameterException; a local ECS
    // that combined the filters hid that every migration would fail on AWS.
    @Test
    void listTasksRefusesStartedByCombinedWithAnyOtherFilter() {
        String definition = workloads.register("api", workloads.push("api", "v1", ImageBehaviour.healthy()).uri());
        run(definition, "deckhand");

        assertThat(workloads.client.listTasks(r -> r.cluster("dev").startedBy("deckhand")).taskArns()).hasSize(1);
        assertThat(workloads.client.listTasks(r -> r.cluster("dev").family("api").desiredStatus("RUNNING")).taskArns())
                .hasSize(1);
        for (var combined : List.<Consumer<ListTasksRequest.Builder>>of(
                r -> r.family("api"), r -> r.desiredStatus("STOPPED"), r -> r.serviceName("api"),
                r -> r.launchType("FARGATE"), r -> r.containerInstance("instance-1"))) {
            assertThatThrownBy(() -> workloads.client.listTasks(r -> combined.accept(r.cluster("dev").startedBy("deckhand"))))
                    .isInstanceOf(InvalidParameterException.class)
                    .hasMessageContaining("startedBy");
        }
    }
}
