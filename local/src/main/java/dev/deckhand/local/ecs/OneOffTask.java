package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.ecr.ImageBehaviour;
import java.time.Instant;
import java.util.List;

/** A task started by RunTask, from PROVISIONING to STOPPED over simulated time. */
final class OneOffTask {

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

    OneOffTask(String id, String arn, EcsCluster cluster, TaskDefinition taskDefinition, Instant createdAt,
               String startedBy, String group, String launchType, ObjectNode overrides, List<Container> containers) {
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
    }

    boolean stopped() {
        return lastStatus.equals("STOPPED");
    }
}
