package dev.deckhand.aws;

import static dev.deckhand.aws.EcsWire.integer;
import static dev.deckhand.aws.EcsWire.items;
import static dev.deckhand.aws.EcsWire.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.errors.DeploymentTargetNotFoundException;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.migrate.ContainerSnapshot;
import dev.deckhand.migrate.MigrationTasks;
import dev.deckhand.migrate.TaskSnapshot;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;

/** {@link MigrationTasks} over ECS's JSON API ({@link AwsClients#ecs()}) and CloudWatch Logs (GetLogEvents). */
public final class EcsMigrationTasks implements MigrationTasks {

    /** What Deckhand starts its migration tasks by (RunTask startedBy); the stopped-task rule matches it. */
    public static final String STARTED_BY = "deckhand";
    /**
     * The tag Deckhand puts on its migration tasks at RunTask, so its role may stop only those
     * (StopTask conditioned on ecs:ResourceTag/deckhand:task, {@code Policies}).
     */
    public static final String TAG_KEY = "deckhand:task";
    public static final String TAG_VALUE = "migration";

    private final AwsJsonClient ecs;
    private final AwsJsonClient logs;

    public EcsMigrationTasks(AwsJsonClient ecs, AwsJsonClient logs) {
        this.ecs = ecs;
        this.logs = logs;
    }

    @Override
    public String start(String cluster, String service, String taskDefinitionArn, String container,
            List<String> command, String clientToken) {
        JsonNode live = EcsWire.liveService(ecs, cluster, service);
        // API_RunTask, Request Syntax.
        ObjectNode request = EcsWire.request()
                .put("cluster", cluster)
                .put("taskDefinition", taskDefinitionArn)
                .put("count", 1)
                .put("startedBy", STARTED_BY);
        EcsWire.put(request, "clientToken", clientToken);
        request.putArray("tags").add(EcsWire.tag(TAG_KEY, TAG_VALUE));
        copy(live, "networkConfiguration", request);
        ObjectNode override = request.putObject("overrides").putArray("containerOverrides").addObject();
        EcsWire.put(override, "name", container);
        EcsWire.put(override, "command", command);
        // A service uses either a launch type or a capacity provider strategy, never both.
        if (!items(live, "capacityProviderStrategy").isEmpty()) {
            copy(live, "capacityProviderStrategy", request);
        } else {
            copy(live, "launchType", request);
        }
        copy(live, "platformVersion", request);
        JsonNode response = AwsCalls.callWithNewRevision("RunTask " + taskDefinitionArn, taskDefinitionArn,
                () -> ecs.call("RunTask", request));
        List<JsonNode> tasks = items(response, "tasks");
        if (tasks.isEmpty()) {
            String reasons = items(response, "failures").stream()
                    .map(failure -> text(failure, "arn") + ": " + text(failure, "reason"))
                    .reduce((x, y) -> x + "; " + y).orElse("no reason given");
            throw new DeploymentTargetNotFoundException("ECS could not start the migration task (" + reasons + ")");
        }
        return text(tasks.get(0), "taskArn");
    }

    /** The service's member, as it is, when it has one. */
    private static void copy(JsonNode from, String member, ObjectNode to) {
        JsonNode value = from.get(member);
        if (value != null && !value.isNull()) {
            to.set(member, value.deepCopy());
        }
    }

    @Override
    public TaskSnapshot describe(String cluster, String taskArn) {
        JsonNode task = AwsCalls.call("DescribeTasks " + taskArn,
                () -> EcsWire.describeTasks(ecs, cluster, List.of(taskArn))).stream().findFirst()
                .orElseThrow(() -> new DeploymentTargetNotFoundException("migration task " + taskArn
                        + " is unknown to ECS (tasks are kept about an hour after they stop)"));
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
        for (String status : List.of("RUNNING", "STOPPED")) {
            arns.addAll(AwsCalls.call("ListTasks " + cluster + " " + family, () -> EcsWire.allPages(ecs, "ListTasks",
                    EcsWire.request().put("cluster", cluster).put("family", family).put("desiredStatus", status),
                    "taskArns")).stream().map(JsonNode::asText).toList());
        }
        List<TaskSnapshot> started = new ArrayList<>();
        // DescribeTasks takes at most 100 tasks per call.
        for (int from = 0; from < arns.size(); from += 100) {
            List<String> batch = arns.subList(from, Math.min(arns.size(), from + 100));
            AwsCalls.call("DescribeTasks " + cluster, () -> EcsWire.describeTasks(ecs, cluster, batch)).stream()
                    .filter(task -> STARTED_BY.equals(text(task, "startedBy")))
                    .filter(task -> taskDefinitionArn.equals(text(task, "taskDefinitionArn")))
                    .forEach(task -> started.add(snapshot(task)));
        }
        return started;
    }

    private static TaskSnapshot snapshot(JsonNode task) {
        List<ContainerSnapshot> containers = items(task, "containers").stream()
                .map(container -> new ContainerSnapshot(text(container, "name"), text(container, "lastStatus"),
                        integer(container, "exitCode"), text(container, "reason")))
                .toList();
        return new TaskSnapshot(text(task, "taskArn"), text(task, "lastStatus"), text(task, "stopCode"),
                text(task, "stoppedReason"), containers);
    }

    @Override
    public void stop(String cluster, String taskArn, String reason) {
        AwsCalls.call("StopTask " + taskArn, () -> ecs.call("StopTask", EcsWire.put(EcsWire.request()
                .put("cluster", cluster).put("task", taskArn), "reason", reason)));
    }

    @Override
    public List<String> lastLogLines(String taskDefinitionArn, String container, String taskArn, int lines) {
        try {
            JsonNode definition = items(EcsWire.describeTaskDefinition(ecs, taskDefinitionArn, false)
                    .path("taskDefinition"), "containerDefinitions").stream()
                    .filter(candidate -> container.equals(text(candidate, "name"))).findFirst().orElse(null);
            // API_LogConfiguration, logDriver: "awslogs" among the valid values.
            if (definition == null || !"awslogs".equals(text(definition.path("logConfiguration"), "logDriver"))) {
                return List.of();
            }
            JsonNode options = definition.path("logConfiguration").path("options");
            String group = text(options, "awslogs-group");
            String prefix = text(options, "awslogs-stream-prefix");
            if (group == null || prefix == null) {
                return List.of(); // without a prefix, the stream name does not name the task
            }
            // "Using the awslogs log driver" (ECS developer guide), awslogs-stream-prefix: the stream is
            // prefix-name/container-name/ecs-task-id; the group lives in awslogs-region.
            String stream = prefix + "/" + container + "/" + taskArn.substring(taskArn.lastIndexOf('/') + 1);
            // API_GetLogEvents: with startFromHead false (the default) the latest events come back, at
            // most limit (1-10,000) of them; sorted here by timestamp so the tail reads oldest first.
            JsonNode events = logs.inRegion(text(options, "awslogs-region")).call("GetLogEvents",
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
