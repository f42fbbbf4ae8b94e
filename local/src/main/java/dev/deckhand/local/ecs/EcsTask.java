package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.ecr.ImageBehaviour;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A task (one-off from RunTask, or one of a service's), from PROVISIONING to STOPPED over simulated time. */
final class EcsTask {

    /** One container of the task; {@code pullFailure} is ECS's CannotPullContainerError text, or null. */
    static final class Container {
        final String name;
        final String arn;
        final String image;
        final String imageDigest;
        final boolean essential;
        final ImageBehaviour behaviour;
        final String pullFailure;
        String lastStatus = "PENDING";
        Integer exitCode;
        String reason;

        Container(String name, String arn, String image, String imageDigest, boolean essential,
                  ImageBehaviour behaviour, String pullFailure) {
            this.name = name;
            this.arn = arn;
            this.image = image;
            this.imageDigest = imageDigest;
            this.essential = essential;
            this.behaviour = behaviour;
            this.pullFailure = pullFailure;
        }
    }

    final String id;
    final String arn;
    final EcsCluster cluster;
    final TaskDefinition taskDefinition;
    final Instant createdAt;
    final String startedBy;
    final String group;
    final String launchType;
    final ObjectNode overrides;
    final List<Container> containers;
    /** A service's task keeps serving until stopped; a one-off task's containers run their course and exit. */
    final boolean serviceTask;
    /** Told when the task reaches STOPPED (the service scheduler watches its tasks); null for one-off tasks. */
    final Consumer<EcsTask> onStopped;
    /** The tags RunTask gave it (the local IAM reads them as ecs:ResourceTag/<key>). */
    final Map<String, String> tags = new java.util.LinkedHashMap<>();
    String lastStatus = "PROVISIONING";
    String desiredStatus = "RUNNING";
    Instant pullStartedAt;
    Instant pullStoppedAt;
    Instant startedAt;
    Instant stoppingAt;
    Instant stoppedAt;
    String stopCode;
    String stoppedReason;
    /** The task's version, incremented on every change (the "version" field of task state change events). */
    int version;
    Instant updatedAt;

    EcsTask(String id, String arn, EcsCluster cluster, TaskDefinition taskDefinition, Instant createdAt,
            String startedBy, String group, String launchType, ObjectNode overrides, List<Container> containers,
            boolean serviceTask, Consumer<EcsTask> onStopped) {
        this.id = id;
        this.arn = arn;
        this.cluster = cluster;
        this.taskDefinition = taskDefinition;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        this.startedBy = startedBy;
        this.group = group;
        this.launchType = launchType;
        this.overrides = overrides;
        this.containers = containers;
        this.serviceTask = serviceTask;
        this.onStopped = onStopped;
    }

    boolean stopped() {
        return lastStatus.equals("STOPPED");
    }
}
