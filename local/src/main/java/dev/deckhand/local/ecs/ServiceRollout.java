package dev.deckhand.local.ecs;

import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
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
    private final TaskRun taskRuns;
    /** Blue/green, linear and canary deployments. */
    final TrafficShifting shifting;

    ServiceRollout(Simulation simulation, TaskRun taskRuns) {
        this.simulation = simulation;
        this.taskRuns = taskRuns;
        this.shifting = new TrafficShifting(simulation, this);
    }

    /**
     * Starts a deployment of {@code definition} at {@code at} (a new service revision and a new
     * service deployment); the previous PRIMARY becomes ACTIVE and an ongoing service deployment
     * it belonged to is STOPPED.
     */
    Deployment start(EcsService service, TaskDefinition definition, Instant at) {
        return begin(service, definition, at, false);
    }

    /**
     * Records {@code definition} as already deployed and steady at {@code at}, its tasks RUNNING,
     * without events: a service that was running before anyone watched.
     */
    Deployment seed(EcsService service, TaskDefinition definition, Instant at) {
        return begin(service, definition, at, true);
    }

    private Deployment begin(EcsService service, TaskDefinition definition, Instant at, boolean seeded) {
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
            if (superseded.shift != null) {
                shifting.supersede(superseded.shift);
            }
        }
        // Blue/green, linear and canary shift traffic from the revision serving now (or, while the
        // service's first rollout is still starting, from that one); a new service has nothing to
        // shift from, and its tasks just start.
        Deployment blue = service.serving() != null ? service.serving() : service.primary();
        boolean shifted = !seeded && service.strategy.shiftsTraffic() && blue != null;
        Deployment deployment = launch(service, definition, revisionArn, at, null, seeded);
        ServiceDeployment serviceDeployment = new ServiceDeployment(
                simulation.arn("service-deployment/" + service.cluster.name + "/" + service.name + "/"
                        + newNumericId()), service, at, sources, deployment, service.circuitBreakerEnabled);
        deployment.serviceDeployment = serviceDeployment;
        service.history.add(0, serviceDeployment);
        if (shifted) {
            shifting.begin(service, serviceDeployment, blue, deployment, at);
        } else if (!seeded && service.strategy.alarmsEnabled() && !service.strategy.alarmNames().isEmpty()) {
            DeploymentStrategy watching = service.strategy;
            simulation.schedule.at(at.plus(TrafficShifting.ALARM_CHECK), when -> checkAlarms(service, deployment,
                    watching, when));
        }
        if (seeded) {
            deployment.pendingCount = 0;
            deployment.runningCount = deployment.desiredCount;
            deployment.runningSince = at;
            finish(service, deployment, at);
            service.record(at, "has reached a steady state.");
        }
        return deployment;
    }

    /**
     * A rolling deployment with deployment alarms (API_DeploymentAlarms): an alarm in ALARM while it
     * is in progress fails it, and with rollback on, it rolls back to the last completed one.
     */
    private void checkAlarms(EcsService service, Deployment deployment, DeploymentStrategy watching, Instant at) {
        if (!deployment.inProgressPrimary() || !service.status.equals("ACTIVE")) {
            return;
        }
        List<String> inAlarm = watching.alarmNames().stream()
                .filter(name -> "ALARM".equals(simulation.alarmState(name))).toList();
        if (inAlarm.isEmpty()) {
            simulation.schedule.at(at.plus(TrafficShifting.ALARM_CHECK), when -> checkAlarms(service, deployment,
                    watching, when));
            return;
        }
        deployment.serviceDeployment.triggeredAlarms.addAll(inAlarm);
        fail(service, deployment, "ECS deployment alarms: " + String.join(", ", inAlarm) + " in ALARM.",
                watching.alarmsRollback(), at);
    }

    private Deployment rollBack(EcsService service, Deployment failed, Deployment target, Instant at) {
        Deployment deployment = launch(service, target.taskDefinition, target.serviceRevisionArn, at, target.id, false);
        ServiceDeployment serviceDeployment = failed.serviceDeployment;
        deployment.serviceDeployment = serviceDeployment;
        serviceDeployment.status = "ROLLBACK_IN_PROGRESS";
        serviceDeployment.rollback = deployment;
        serviceDeployment.rollbackStartedAt = at;
        serviceDeployment.rollbackReason = failed.rolloutStateReason.startsWith("ECS deployment alarms")
                ? "Alarm initiated rollback: " + failed.rolloutStateReason
                : "Circuit breaker initiated rollback: tasks failed to start.";
        serviceDeployment.rollbackRevisionArn = target.serviceRevisionArn;
        serviceDeployment.updatedAt = at;
        return deployment;
    }

    private Deployment launch(EcsService service, TaskDefinition definition, String revisionArn, Instant at,
                              String rollingBackTo, boolean seeded) {
        Deployment previous = service.primary();
        if (previous != null) {
            previous.status = "ACTIVE";
            previous.updatedAt = at;
        }
        String id = "ecs-svc/" + newNumericId();
        TaskDefinition.Container serving = definition.servingContainer();
        EcrImage image = simulation.pull(serving.image()).orElse(null);
        Deployment deployment = new Deployment(id, definition, revisionArn, at, image, tasksFailToStart(definition),
                service.desiredCount);
        deployment.pendingCount = deployment.desiredCount;
        // Reasons as in the guide's SERVICE_DEPLOYMENT_IN_PROGRESS examples (initial and rollback).
        deployment.rolloutStateReason = rollingBackTo == null
                ? "ECS deployment " + id + " in progress."
                : "ECS deployment circuit breaker: rolling back to deploymentId " + rollingBackTo + ".";
        service.deployments.add(0, deployment);
        service.taskDefinition = definition;
        if (seeded) {
            startTasks(service, deployment, deployment.desiredCount, at, true);
            return deployment;
        }
        simulation.emit(simulation.events.deploymentStateChange(service, deployment,
                "SERVICE_DEPLOYMENT_IN_PROGRESS", deployment.rolloutStateReason, at));
        startTasks(service, deployment, deployment.desiredCount, at, false);
        // Tasks that cannot start never complete the rollout: their stops are counted in taskStopped.
        if (!deployment.tasksFailToStart || deployment.desiredCount == 0) {
            WorkloadTiming timing = simulation.timing;
            simulation.schedule.at(at.plus(timing.taskStart()), when -> tasksRunning(service, deployment, when));
            simulation.schedule.at(at.plus(timing.taskStart()).plus(timing.steadyState()),
                    when -> complete(service, deployment, when));
        }
        return deployment;
    }

    /** 19 digits, as in {@code ecs-svc/1234567890123456789}. */
    private static long newNumericId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE);
    }

    /** A new desired count without a new deployment: a steady PRIMARY is resized at once. */
    void scale(EcsService service, int desiredCount, Instant at) {
        service.desiredCount = desiredCount;
        Deployment primary = service.primary();
        if (primary != null && primary.completed()) {
            int change = desiredCount - primary.desiredCount;
            if (change > 0) {
                startTasks(service, primary, change, at, true);
            }
            List<EcsTask> surplus = new ArrayList<>(primary.tasks.subList(0, Math.max(0, -change)));
            stopTasks(service, surplus, "Scaling activity initiated by (service " + service.name + ")", at);
            primary.desiredCount = desiredCount;
            primary.runningCount = desiredCount;
            primary.updatedAt = at;
        }
    }

    /** DeleteService: every task stops, the deployments go away. */
    void drain(EcsService service, Instant at) {
        List<EcsTask> tasks = service.deployments.stream().flatMap(d -> d.tasks.stream()).toList();
        stopTasks(service, tasks, "Scaling activity initiated by (service " + service.name + ")", at);
        service.deployments.forEach(d -> {
            d.status = "INACTIVE";
            d.runningCount = 0;
            d.pendingCount = 0;
        });
    }

    private void tasksRunning(EcsService service, Deployment deployment, Instant at) {
        // A superseded deployment's tasks still come up; only a drained one's do not.
        if (!deployment.rolloutState.equals("IN_PROGRESS") || deployment.status.equals("INACTIVE")
                || !service.status.equals("ACTIVE")) {
            return;
        }
        deployment.pendingCount = 0;
        deployment.runningCount = deployment.desiredCount;
        deployment.runningSince = at;
        deployment.updatedAt = at;
    }

    private void complete(EcsService service, Deployment deployment, Instant at) {
        // A blue/green, linear or canary deployment completes at its CLEAN_UP stage instead.
        if (!deployment.inProgressPrimary() || !service.status.equals("ACTIVE")
                || deployment.serviceDeployment.shift != null) {
            return;
        }
        finish(service, deployment, at);
        service.record(at, "(deployment " + deployment.id + ") deployment completed.");
        service.record(at, "has reached a steady state.");
        simulation.emit(simulation.events.deploymentStateChange(service, deployment,
                "SERVICE_DEPLOYMENT_COMPLETED", deployment.rolloutStateReason, at));
        simulation.emit(simulation.events.serviceAction(service, "SERVICE_STEADY_STATE", at));
    }

    /** Stops a deployment's tasks and removes it from the service (a rolled-back green revision). */
    void retire(EcsService service, Deployment deployment, Instant at) {
        stopTasks(service, deployment.tasks, "Scaling activity initiated by (deployment " + deployment.id + ")", at);
        deployment.status = "INACTIVE";
        deployment.pendingCount = 0;
        deployment.runningCount = 0;
        deployment.updatedAt = at;
        service.deployments.remove(deployment);
    }

    void finish(EcsService service, Deployment deployment, Instant at) {
        deployment.rolloutState = "COMPLETED";
        deployment.rolloutStateReason = "ECS deployment " + deployment.id + " completed.";
        deployment.updatedAt = at;
        List<Deployment> drained = new ArrayList<>(service.deployments.subList(1, service.deployments.size()));
        List<EcsTask> replaced = drained.stream().flatMap(d -> d.tasks.stream()).toList();
        stopTasks(service, replaced, "Scaling activity initiated by (deployment " + deployment.id + ")", at);
        drained.forEach(d -> d.status = "INACTIVE");
        service.deployments.removeAll(drained);
        service.lastCompleted = deployment;
        ServiceDeployment serviceDeployment = deployment.serviceDeployment;
        serviceDeployment.status = deployment == serviceDeployment.rollback ? "ROLLBACK_SUCCESSFUL" : "SUCCESSFUL";
        serviceDeployment.finishedAt = at;
        serviceDeployment.updatedAt = at;
    }

    /**
     * The scheduler sees one of a deployment's tasks stop. While a rollout that cannot start is in
     * progress the stop counts as a failed task; the circuit breaker, when on, fails the deployment
     * at its threshold. Otherwise the task is replaced, as the scheduler keeps desiredCount tasks.
     */
    private void taskStopped(EcsService service, Deployment deployment, EcsTask task) {
        Instant at = task.stoppedAt;
        deployment.tasks.remove(task);
        boolean wanted = service.status.equals("ACTIVE") && deployment.status.equals("PRIMARY")
                && !deployment.rolloutState.equals("FAILED") && !task.stopCode.equals("ServiceSchedulerInitiated");
        if (!wanted) {
            return;
        }
        if (deployment.inProgressPrimary() && deployment.tasksFailToStart) {
            deployment.failedTasks++;
            deployment.updatedAt = at;
            if (service.circuitBreakerEnabled && deployment.failedTasks >= failureThreshold(deployment.desiredCount)) {
                fail(service, deployment, "ECS deployment circuit breaker: task failed to start.",
                        service.circuitBreakerRollback, at);
                return;
            }
        }
        // Without the breaker ECS keeps replacing the tasks, and the rollout stays IN_PROGRESS.
        startTasks(service, deployment, 1, at, false);
    }

    private void fail(EcsService service, Deployment deployment, String reason, boolean rollback, Instant at) {
        if (deployment.serviceDeployment.shift != null) {
            // Blue is still serving: rolling back is shifting (no) traffic back and stopping green.
            deployment.pendingCount = 0;
            shifting.rollBack(deployment.serviceDeployment.shift, reason, at);
            return;
        }
        deployment.rolloutState = "FAILED";
        deployment.rolloutStateReason = reason;
        deployment.pendingCount = 0;
        service.record(at, "(deployment " + deployment.id + ") deployment failed: "
                + (reason.startsWith("ECS deployment circuit breaker") ? "tasks failed to start." : reason));
        simulation.emit(simulation.events.deploymentStateChange(service, deployment,
                "SERVICE_DEPLOYMENT_FAILED", deployment.rolloutStateReason, at));
        ServiceDeployment serviceDeployment = deployment.serviceDeployment;
        serviceDeployment.updatedAt = at;
        Deployment target = service.lastCompleted;
        if (deployment == serviceDeployment.rollback) {
            serviceDeployment.status = "ROLLBACK_FAILED";
            serviceDeployment.finishedAt = at;
        } else if (rollback && target != null) {
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

    /** Whether every task of the definition stops before serving: an image cannot be pulled or an essential one crashes. */
    private boolean tasksFailToStart(TaskDefinition definition) {
        return definition.containers.stream().anyMatch(container -> simulation.pullFailure(container.image()) != null
                || container.essential() && simulation.pull(container.image())
                        .map(image -> image.behaviour() instanceof ImageBehaviour.CrashOnStart).orElse(false));
    }

    private void startTasks(EcsService service, Deployment deployment, int count, Instant at, boolean alreadyRunning) {
        List<EcsTask> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(taskRuns.startForService(service, deployment, at, alreadyRunning,
                    task -> taskStopped(service, deployment, task)));
        }
        deployment.tasks.addAll(started);
        if (!started.isEmpty() && !alreadyRunning) {
            service.record(at, "has started " + started.size() + " tasks: " + taskList(started) + ".");
        }
    }

    private void stopTasks(EcsService service, List<EcsTask> tasks, String reason, Instant at) {
        List<EcsTask> running = tasks.stream().filter(t -> t.lastStatus.equals("RUNNING")).toList();
        List.copyOf(tasks).forEach(task -> taskRuns.stopByScheduler(task, reason, at));
        if (!running.isEmpty()) {
            service.record(at, "has stopped " + running.size() + " running tasks: " + taskList(running) + ".");
        }
    }

    private static String taskList(List<EcsTask> tasks) {
        return tasks.stream().map(t -> "(task " + t.id + ")").collect(Collectors.joining(" "));
    }
}
