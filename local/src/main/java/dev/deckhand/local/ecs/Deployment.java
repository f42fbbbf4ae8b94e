package dev.deckhand.local.ecs;

import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One entry of a service's {@code deployments[]} (the API's Deployment): a task definition being rolled out or running. */
final class Deployment {

    final String id;
    final TaskDefinition taskDefinition;
    /** The service revision this deployment runs (a rollback runs the revision it rolls back to). */
    final String serviceRevisionArn;
    /** The service deployment (ListServiceDeployments) this belongs to; a rollback shares the one it undoes. */
    ServiceDeployment serviceDeployment;
    final Instant createdAt;
    /** The serving container's image as ECR resolved it when the deployment started; null if it could not. */
    final EcrImage image;
    /** Whether this deployment's tasks stop before they can serve (an image that cannot be pulled or crashes). */
    final boolean tasksFailToStart;
    String status = "PRIMARY";
    String rolloutState = "IN_PROGRESS";
    String rolloutStateReason;
    int desiredCount;
    int pendingCount;
    int runningCount;
    int failedTasks;
    Instant updatedAt;
    /** When this deployment's tasks started RUNNING, for slow-start health answers. */
    Instant runningSince;
    /** The tasks the scheduler started for this deployment and that have not stopped yet. */
    final List<EcsTask> tasks = new ArrayList<>();

    Deployment(String id, TaskDefinition taskDefinition, String serviceRevisionArn, Instant createdAt,
               EcrImage image, boolean tasksFailToStart, int desiredCount) {
        this.id = id;
        this.taskDefinition = taskDefinition;
        this.serviceRevisionArn = serviceRevisionArn;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        this.image = image;
        this.tasksFailToStart = tasksFailToStart;
        this.desiredCount = desiredCount;
    }

    boolean inProgressPrimary() {
        return status.equals("PRIMARY") && rolloutState.equals("IN_PROGRESS");
    }

    boolean completed() {
        return rolloutState.equals("COMPLETED");
    }

    ImageBehaviour behaviour() {
        return image == null ? ImageBehaviour.pullFailure() : image.behaviour();
    }
}
