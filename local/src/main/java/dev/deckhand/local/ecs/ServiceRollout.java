package dev.deckhand.local.ecs;

import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Drives a service's rolling deployments through simulated time, as the ECS rolling update does
 * ("Deploy Amazon ECS services by replacing tasks"): the new deployment becomes PRIMARY with
 * rolloutState IN_PROGRESS while the previous one stays ACTIVE and keeps serving; when the new
 * tasks are RUNNING and steady the rollout is COMPLETED and the old deployments drain away. Tasks
 * that cannot start are replaced; with the deployment circuit breaker on, once the failed tasks
 * reach the threshold the deployment is FAILED and, with rollback on, a new deployment back to the
 * last COMPLETED one starts ("How the Amazon ECS deployment circuit breaker detects failures").
 */
final class ServiceRollout {

    private final Simulation simulation;

    ServiceRollout(Simulation simulation) {
        this.simulation = simulation;
    }

    /**
     * Starts a deployment of {@code definition} at {@code at} (a new service revision and a new
     * service deployment); the previous PRIMARY becomes ACTIVE and an ongoing service deployment
     * it belonged to is STOPPED.
     */
    Deployment start(EcsService service, TaskDefinition definition, Instant at) {
        String revisionArn = simulation.arn("service-revision/" + service.cluster.name + "/" + service.name + "/"
                + newNumericId());
        List<ServiceDeployment.SourceRevision> sources = service.deployments.stream()
                .map(d -> new ServiceDeployment.SourceRevision(d.serviceRevisionArn, d.desiredCount, d.runningCount,
                        d.pendingCount))
                .distinct().toList();
        Deployment previous = service.primary();
        if (previous != null && previous.serviceDeployment != null && previous.serviceDeployment.ongoing()) {
            ServiceDeployment superseded = previous.serviceDeployment;
            superseded.status = "STOPPED";
            superseded.statusReason = "Stopped: a newer service deployment started.";
            superseded.stoppedAt = at;
            superseded.updatedAt = at;
        }
        Deployment deployment = launch(service, definition, revisionArn, at, null);
        ServiceDeployment serviceDeployment = new ServiceDeployment(
                simulation.arn("service-deployment/" + service.cluster.name + "/" + service.name + "/"
                        + newNumericId()), service, at, sources, deployment, service.circuitBreakerEnabled);
        deployment.serviceDeployment = serviceDeployment;
        service.history.add(0, serviceDeployment);
        return deployment;
    }

    private Deployment rollBack(EcsService service, Deployment failed, Deployment target, Instant at) {
        Deployment deployment = launch(service, target.taskDefinition, target.serviceRevisionArn, at, target.id);
        ServiceDeployment serviceDeployment = failed.serviceDeployment;
        deployment.serviceDeployment = serviceDeployment;
        serviceDeployment.status = "ROLLBACK_IN_PROGRESS";
        serviceDeployment.rollback = deployment;
        serviceDeployment.rollbackStartedAt = at;
        serviceDeployment.rollbackReason = "Circuit breaker initiated rollback: tasks failed to start.";
        serviceDeployment.rollbackRevisionArn = target.serviceRevisionArn;
        serviceDeployment.updatedAt = at;
        return deployment;
    }

    private Deployment launch(EcsService service, TaskDefinition definition, String revisionArn, Instant at,
                              String rollingBackTo) {
        Deployment previous = service.primary();
        if (previous != null) {
            previous.status = "ACTIVE";
            previous.updatedAt = at;
        }
        String id = "ecs-svc/" + newNumericId();
        TaskDefinition.Container serving = definition.servingContainer();
        EcrImage image = simulation.pull(serving.image()).orElse(null);
        Deployment deployment = new Deployment(id, definition, revisionArn, at, image, startFailure(definition),
                service.desiredCount);
        deployment.pendingCount = deployment.desiredCount;
        // Reasons as in the guide's SERVICE_DEPLOYMENT_IN_PROGRESS examples (initial and rollback).
        deployment.rolloutStateReason = rollingBackTo == null
                ? "ECS deployment " + id + " in progress."
                : "ECS deployment circuit breaker: rolling back to deploymentId " + rollingBackTo + ".";
        service.deployments.add(0, deployment);
        service.taskDefinition = definition;
        recordStarted(service, deployment.desiredCount, at);
        simulation.emit(simulation.events.deploymentStateChange(service, deployment,
                "SERVICE_DEPLOYMENT_IN_PROGRESS", deployment.rolloutStateReason, at));
        WorkloadTiming timing = simulation.timing;
        if (deployment.startFailure == null || deployment.desiredCount == 0) {
            simulation.schedule.at(at.plus(timing.taskStart()), when -> tasksRunning(service, deployment, when));
            simulation.schedule.at(at.plus(timing.taskStart()).plus(timing.steadyState()),
                    when -> complete(service, deployment, when));
        } else {
            simulation.schedule.at(at.plus(attemptDuration(deployment)), when -> attemptFailed(service, deployment, when));
        }
        return deployment;
    }

    /** 19 digits, as in {@code ecs-svc/1234567890123456789}. */
    private static long newNumericId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE);
    }

    /** Makes the deployment RUNNING and COMPLETED at once, without events (seeding a running service). */
    void settleImmediately(EcsService service, Deployment deployment, Instant at) {
        deployment.pendingCount = 0;
        deployment.runningCount = deployment.desiredCount;
        deployment.runningSince = at;
        finish(service, deployment, at);
    }

    /** A new desired count without a new deployment: a steady PRIMARY is resized at once. */
    void scale(EcsService service, int desiredCount, Instant at) {
        service.desiredCount = desiredCount;
        Deployment primary = service.primary();
        if (primary != null && primary.completed()) {
            primary.desiredCount = desiredCount;
            primary.runningCount = desiredCount;
            primary.updatedAt = at;
        }
    }

    /** DeleteService: every task stops, the deployments go away. */
    void drain(EcsService service, Instant at) {
        int running = service.deployments.stream().mapToInt(d -> d.runningCount).sum();
        if (running > 0) {
            recordStopped(service, running, at);
        }
        service.deployments.forEach(d -> {
            d.status = "INACTIVE";
            d.runningCount = 0;
            d.pendingCount = 0;
        });
    }

    private void tasksRunning(EcsService service, Deployment deployment, Instant at) {
        if (!deployment.inProgressPrimary() || !service.status.equals("ACTIVE")) {
            return;
        }
        deployment.pendingCount = 0;
        deployment.runningCount = deployment.desiredCount;
        deployment.runningSince = at;
        deployment.updatedAt = at;
    }

    private void complete(EcsService service, Deployment deployment, Instant at) {
        if (!deployment.inProgressPrimary() || !service.status.equals("ACTIVE")) {
            return;
        }
        finish(service, deployment, at);
        service.record(at, "(deployment " + deployment.id + ") deployment completed.");
        service.record(at, "has reached a steady state.");
        simulation.emit(simulation.events.deploymentStateChange(service, deployment,
                "SERVICE_DEPLOYMENT_COMPLETED", deployment.rolloutStateReason, at));
        simulation.emit(simulation.events.serviceAction(service, "SERVICE_STEADY_STATE", at));
    }

    private void finish(EcsService service, Deployment deployment, Instant at) {
        deployment.rolloutState = "COMPLETED";
        deployment.rolloutStateReason = "ECS deployment " + deployment.id + " completed.";
        deployment.updatedAt = at;
        List<Deployment> drained = new ArrayList<>(service.deployments.subList(1, service.deployments.size()));
        int stopped = drained.stream().mapToInt(d -> d.runningCount).sum();
        if (stopped > 0) {
            recordStopped(service, stopped, at);
        }
        service.deployments.removeAll(drained);
        service.lastCompleted = deployment;
        ServiceDeployment serviceDeployment = deployment.serviceDeployment;
        serviceDeployment.status = deployment == serviceDeployment.rollback ? "ROLLBACK_SUCCESSFUL" : "SUCCESSFUL";
        serviceDeployment.finishedAt = at;
        serviceDeployment.updatedAt = at;
    }

    private void attemptFailed(EcsService service, Deployment deployment, Instant at) {
        if (!deployment.inProgressPrimary() || !service.status.equals("ACTIVE")) {
            return;
        }
        deployment.failedTasks += deployment.desiredCount;
        deployment.updatedAt = at;
        if (service.circuitBreakerEnabled && deployment.failedTasks >= failureThreshold(deployment.desiredCount)) {
            fail(service, deployment, at);
            return;
        }
        // Without the breaker ECS keeps replacing the tasks, and the rollout stays IN_PROGRESS.
        recordStarted(service, deployment.desiredCount, at);
        simulation.schedule.at(at.plus(attemptDuration(deployment)), when -> attemptFailed(service, deployment, when));
    }

    private void fail(EcsService service, Deployment deployment, Instant at) {
        deployment.rolloutState = "FAILED";
        deployment.rolloutStateReason = "ECS deployment circuit breaker: task failed to start.";
        deployment.pendingCount = 0;
        service.record(at, "(deployment " + deployment.id + ") deployment failed: tasks failed to start.");
        simulation.emit(simulation.events.deploymentStateChange(service, deployment,
                "SERVICE_DEPLOYMENT_FAILED", deployment.rolloutStateReason, at));
        ServiceDeployment serviceDeployment = deployment.serviceDeployment;
        serviceDeployment.updatedAt = at;
        Deployment target = service.lastCompleted;
        if (deployment == serviceDeployment.rollback) {
            serviceDeployment.status = "ROLLBACK_FAILED";
            serviceDeployment.finishedAt = at;
        } else if (service.circuitBreakerRollback && target != null) {
            // "the service is rolled back to the last deployment that completed successfully"
            service.record(at, "rolling back to deployment " + target.id + ".");
            rollBack(service, deployment, target, at);
        } else {
            serviceDeployment.status = "STOPPED";
            serviceDeployment.statusReason = deployment.rolloutStateReason;
            serviceDeployment.stoppedAt = at;
            serviceDeployment.finishedAt = at;
        }
    }

    // ServiceDeploymentCircuitBreaker.threshold: 0.5 * desired task count, at least 3, at most 200.
    static int failureThreshold(int desiredCount) {
        return Math.max(3, Math.min(200, (int) Math.ceil(desiredCount * 0.5)));
    }

    private Duration attemptDuration(Deployment deployment) {
        WorkloadTiming timing = simulation.timing;
        return deployment.startFailure.pull() ? timing.taskStart() : timing.taskStart().plus(timing.crashAfter());
    }

    /** Why the definition's tasks cannot reach a steady RUNNING state, or null if they can. */
    private Deployment.StartFailure startFailure(TaskDefinition definition) {
        for (TaskDefinition.Container container : definition.containers) {
            String pullFailure = simulation.pullFailure(container.image());
            if (pullFailure != null) {
                return new Deployment.StartFailure(pullFailure, true);
            }
        }
        for (TaskDefinition.Container container : definition.containers) {
            boolean crashes = simulation.pull(container.image())
                    .map(image -> image.behaviour() instanceof ImageBehaviour.CrashOnStart).orElse(false);
            if (container.essential() && crashes) {
                return new Deployment.StartFailure("Essential container in task exited", false);
            }
        }
        return null;
    }

    private void recordStarted(EcsService service, int count, Instant at) {
        if (count > 0) {
            service.record(at, "has started " + count + " tasks: " + taskList(count) + ".");
        }
    }

    private void recordStopped(EcsService service, int count, Instant at) {
        service.record(at, "has stopped " + count + " running tasks: " + taskList(count) + ".");
    }

    private static String taskList(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> "(task " + Simulation.newTaskId() + ")")
                .collect(Collectors.joining(" "));
    }
}
