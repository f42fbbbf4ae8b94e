package dev.deckhand.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.errors.DeploymentTargetNotFoundException;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.migrate.ContainerSnapshot;
import dev.deckhand.migrate.MigrationTasks;
import dev.deckhand.migrate.TaskSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.core.exception.SdkException;

/** {@link MigrationTasks} over the SDK's {@link EcsClient} and CloudWatch Logs (GetLogEvents). */
public final class SdkMigrationTasks implements MigrationTasks {

    /** What RunTask records as the starter of Deckhand's tasks, so they can be listed again. */
    /** What Deckhand starts its migration tasks by (RunTask startedBy); the stopped-task rule matches it. */
    public static final String STARTED_BY = "deckhand";
    /**
     * The tag Deckhand puts on its migration tasks at RunTask, so its role may stop only those
     * (StopTask conditioned on ecs:ResourceTag/deckhand:task, {@code Policies}).
     */
    public static final String TAG_KEY = "deckhand:task";
    public static final String TAG_VALUE = "migration";

    private final EcsClient ecs;
    private final AwsJsonClient logs;

    public SdkMigrationTasks(EcsClient ecs, AwsJsonClient logs) {
        this.ecs = ecs;
        this.logs = logs;
    }

    @Override
    public String start(String cluster, String service, String taskDefinitionArn, String container,
            List<String> command, String clientToken) {
        Service live = AwsCalls.call("DescribeServices " + cluster + "/" + service, () -> {
            try {
                return ecs.describeServices(request -> request.cluster(cluster).services(service)).services();
            } catch (ClusterNotFoundException e) {
                throw new DeploymentTargetNotFoundException("ECS cluster " + cluster + " not found");
            }
        }).stream().findFirst().orElseThrow(() -> new DeploymentTargetNotFoundException(
                "ECS service " + service + " not found in cluster " + cluster));
        RunTaskRequest.Builder request = RunTaskRequest.builder()
                .cluster(cluster)
                .taskDefinition(taskDefinitionArn)
                .count(1)
                .startedBy(STARTED_BY)
                .tags(tag -> tag.key(TAG_KEY).value(TAG_VALUE))
                .clientToken(clientToken)
                .networkConfiguration(live.networkConfiguration())
                .overrides(overrides -> overrides.containerOverrides(override -> override.name(container).command(command)));
        // A service uses either a launch type or a capacity provider strategy, never both.
        if (live.hasCapacityProviderStrategy() && !live.capacityProviderStrategy().isEmpty()) {
            request.capacityProviderStrategy(live.capacityProviderStrategy());
        } else if (live.launchType() != null) {
            request.launchType(live.launchType());
        }
        if (live.platformVersion() != null) {
            request.platformVersion(live.platformVersion());
        }
        RunTaskResponse response = AwsCalls.callWithNewRevision("RunTask " + taskDefinitionArn, taskDefinitionArn,
                () -> ecs.runTask(request.build()));
        if (!response.hasTasks() || response.tasks().isEmpty()) {
            String reasons = response.failures().stream().map(failure -> failure.arn() + ": " + failure.reason())
                    .reduce((a, b) -> a + "; " + b).orElse("no reason given");
            throw new DeploymentTargetNotFoundException("ECS could not start the migration task (" + reasons + ")");
        }
        return response.tasks().get(0).taskArn();
    }

    @Override
    public TaskSnapshot describe(String cluster, String taskArn) {
        DescribeTasksResponse response = AwsCalls.call("DescribeTasks " + taskArn,
                () -> ecs.describeTasks(request -> request.cluster(cluster).tasks(taskArn)));
        Task task = response.tasks().stream().findFirst().orElseThrow(() -> new DeploymentTargetNotFoundException(
                "migration task " + taskArn + " is unknown to ECS (tasks are kept about an hour after they stop)"));
        return snapshot(task);
    }

    @Override
    public List<TaskSnapshot> startedWith(String cluster, String taskDefinitionArn) {
        // arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>
        String family = taskDefinitionArn.substring(taskDefinitionArn.lastIndexOf('/') + 1,
                taskDefinitionArn.lastIndexOf(':'));
        // API_ListTasks: "When you specify startedBy as the filter, it must be the only filter that
        // you use" (ECS answers InvalidParameterException otherwise). So list the family's tasks by
        // desired status and keep Deckhand's own (startedBy) from what DescribeTasks says of each.
        List<String> arns = new ArrayList<>();
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            arns.addAll(AwsCalls.call("ListTasks " + cluster + " " + family, () -> ecs.listTasksPaginator(request -> request
                    .cluster(cluster).family(family).desiredStatus(status)).taskArns().stream()
                    .toList()));
        }
        List<TaskSnapshot> started = new ArrayList<>();
        // DescribeTasks takes at most 100 tasks per call.
        for (int from = 0; from < arns.size(); from += 100) {
            List<String> batch = arns.subList(from, Math.min(arns.size(), from + 100));
            AwsCalls.call("DescribeTasks " + cluster, () -> ecs.describeTasks(request -> request.cluster(cluster)
                    .tasks(batch))).tasks().stream()
                    .filter(task -> STARTED_BY.equals(task.startedBy()))
                    .filter(task -> taskDefinitionArn.equals(task.taskDefinitionArn()))
                    .forEach(task -> started.add(snapshot(task)));
        }
        return started;
    }

    private static TaskSnapshot snapshot(Task task) {
        List<ContainerSnapshot> containers = task.containers().stream()
                .map(container -> new ContainerSnapshot(container.name(), container.lastStatus(), container.exitCode(),
                        container.reason()))
                .toList();
        return new TaskSnapshot(task.taskArn(), task.lastStatus(), task.stopCodeAsString(), task.stoppedReason(),
                containers);
    }

    @Override
    public void stop(String cluster, String taskArn, String reason) {
        AwsCalls.call("StopTask " + taskArn, () -> ecs.stopTask(request -> request.cluster(cluster).task(taskArn)
                .reason(reason)));
    }

    @Override
    public List<String> lastLogLines(String taskDefinitionArn, String container, String taskArn, int lines) {
        try {
            ContainerDefinition definition = ecs.describeTaskDefinition(request -> request.taskDefinition(taskDefinitionArn))
                    .taskDefinition().containerDefinitions().stream()
                    .filter(candidate -> candidate.name().equals(container)).findFirst().orElse(null);
            if (definition == null || definition.logConfiguration() == null
                    || definition.logConfiguration().logDriver() != LogDriver.AWSLOGS) {
                return List.of();
            }
            Map<String, String> options = definition.logConfiguration().options();
            String group = options.get("awslogs-group");
            String prefix = options.get("awslogs-stream-prefix");
            if (group == null || prefix == null) {
                return List.of(); // without a prefix, the stream name does not name the task
            }
            // "Using the awslogs log driver" (ECS developer guide), awslogs-stream-prefix: the stream is
            // prefix-name/container-name/ecs-task-id; the group lives in awslogs-region.
            String stream = prefix + "/" + container + "/" + taskArn.substring(taskArn.lastIndexOf('/') + 1);
            // API_GetLogEvents: with startFromHead false (the default) the latest events come back, at
            // most limit (1-10,000) of them; sorted here by timestamp so the tail reads oldest first.
            JsonNode events = logs.inRegion(options.get("awslogs-region")).call("GetLogEvents",
                    DeckhandJson.MAPPER.createObjectNode().put("logGroupName", group).put("logStreamName", stream)
                            .put("startFromHead", false).put("limit", lines)).path("events");
            List<JsonNode> sorted = new ArrayList<>();
            events.forEach(sorted::add);
            sorted.sort(java.util.Comparator.comparingLong(event -> event.path("timestamp").asLong()));
            return sorted.stream().map(event -> event.path("message").asText()).toList();
        } catch (SdkException e) {
            return List.of();
        }
    }
}
