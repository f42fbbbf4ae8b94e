package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Drives tasks through the task lifecycle ("Amazon ECS task lifecycle"): PROVISIONING, PENDING
 * while images are pulled, RUNNING, then STOPPED when an essential container exits (all other
 * containers are then stopped), when an image cannot be pulled (TaskFailedToStart with
 * CannotPullContainerError and no exit code), on StopTask (UserInitiated) or when the service
 * scheduler no longer needs it (ServiceSchedulerInitiated). The intermediate
 * DEACTIVATING, STOPPING and DEPROVISIONING states are not shown. Every change of lastStatus or of
 * a container is a task state change event.
 */
final class TaskRun {

    /** A container still running when its task is stopped gets SIGTERM (143); one that ignores it, SIGKILL (137). */
    private static final int SIGTERM_EXIT = 143;
    private static final int SIGKILL_EXIT = 137;

    private final Simulation simulation;

    TaskRun(Simulation simulation) {
        this.simulation = simulation;
    }

    /** RunTask: a one-off task whose containers run their course and exit. */
    EcsTask runOnce(EcsCluster cluster, TaskDefinition definition, Instant at, String startedBy, String group,
                    String launchType, ObjectNode overrides) {
        EcsTask task = create(cluster, definition, at, startedBy, group, launchType, overrides, false, null);
        begin(task, at);
        return task;
    }

    /**
     * A task the service scheduler starts for a deployment (startedBy the deployment id, group
     * {@code service:<name>}); its containers keep serving unless their image crashes on start.
     * With {@code alreadyRunning} it is RUNNING at once, without events (a seeded or scaled service).
     */
    EcsTask startForService(EcsService service, Deployment deployment, Instant at, boolean alreadyRunning,
                            Consumer<EcsTask> onStopped) {
        ObjectNode overrides = Simulation.JSON.createObjectNode();
        deployment.taskDefinition.containers.forEach(c -> overrides.withArray("containerOverrides").addObject()
                .put("name", c.name()));
        overrides.withArray("inferenceAcceleratorOverrides");
        EcsTask task = create(service.cluster, deployment.taskDefinition, at, deployment.id,
                "service:" + service.name, service.launchType, overrides, true, onStopped);
        if (alreadyRunning) {
            task.lastStatus = "RUNNING";
            task.pullStartedAt = at;
            task.pullStoppedAt = at;
            task.startedAt = at;
            task.containers.forEach(c -> c.lastStatus = "RUNNING");
            task.version = 1;
        } else {
            begin(task, at);
        }
        return task;
    }

    private EcsTask create(EcsCluster cluster, TaskDefinition definition, Instant at, String startedBy, String group,
                           String launchType, ObjectNode overrides, boolean serviceTask,
                           Consumer<EcsTask> onStopped) {
        String id = Simulation.newTaskId();
        String arn = simulation.arn("task/" + cluster.name + "/" + id);
        List<EcsTask.Container> containers = new ArrayList<>();
        for (TaskDefinition.Container container : definition.containers) {
            EcrImage image = simulation.pull(container.image()).orElse(null);
            containers.add(new EcsTask.Container(container.name(),
                    simulation.arn("container/" + cluster.name + "/" + id + "/" + UUID.randomUUID()),
                    container.image(), image == null ? null : image.digest(), container.essential(),
                    image == null ? ImageBehaviour.pullFailure() : image.behaviour(),
                    simulation.pullFailure(container.image())));
        }
        EcsTask task = new EcsTask(id, arn, cluster, definition, at, startedBy, group, launchType, overrides,
                containers, serviceTask, onStopped);
        cluster.tasks.put(id, task);
        return task;
    }

    private void begin(EcsTask task, Instant at) {
        changed(task, at);
        WorkloadTiming timing = simulation.timing;
        simulation.schedule.at(at.plus(timing.provisioning()), when -> pending(task, when));
        simulation.schedule.at(at.plus(timing.taskStart()), when -> start(task, when));
    }

    /** StopTask: containers still running are signalled; the task is STOPPED with stopCode UserInitiated. */
    void stopByUser(EcsTask task, String reason, Instant at) {
        stopRequested(task, "UserInitiated", reason == null || reason.isEmpty() ? "Task stopped by user" : reason, at);
    }

    /** The service scheduler stops a task it no longer needs (old deployment drained, scale-in, deletion). */
    void stopByScheduler(EcsTask task, String reason, Instant at) {
        stopRequested(task, "ServiceSchedulerInitiated", reason, at);
    }

    private void stopRequested(EcsTask task, String stopCode, String reason, Instant at) {
        if (task.stopped()) {
            return;
        }
        task.desiredStatus = "STOPPED";
        task.stoppingAt = at;
        stopSignalling(task, stopCode, reason, at);
    }

    private void pending(EcsTask task, Instant at) {
        if (task.stopped()) {
            return;
        }
        task.lastStatus = "PENDING";
        task.pullStartedAt = at;
        changed(task, at);
    }

    private void start(EcsTask task, Instant at) {
        if (task.stopped()) {
            return;
        }
        task.pullStoppedAt = at;
        EcsTask.Container unpullable = task.containers.stream().filter(c -> c.pullFailure != null).findFirst()
                .orElse(null);
        if (unpullable != null) {
            for (EcsTask.Container container : task.containers) {
                container.lastStatus = "STOPPED";
                container.reason = container.pullFailure;
            }
            task.desiredStatus = "STOPPED";
            task.stoppingAt = at;
            markStopped(task, "TaskFailedToStart", unpullable.pullFailure, at, false);
            return;
        }
        task.lastStatus = "RUNNING";
        task.startedAt = at;
        task.containers.forEach(c -> c.lastStatus = "RUNNING");
        changed(task, at);
        Map<Instant, List<EcsTask.Container>> exits = new TreeMap<>();
        for (EcsTask.Container container : task.containers) {
            Duration runFor = container.behaviour instanceof ImageBehaviour.CrashOnStart ? simulation.timing.crashAfter()
                    : container.behaviour instanceof ImageBehaviour.Hangs || task.serviceTask ? null
                    : simulation.timing.oneOffRun();
            if (runFor != null) {
                exits.computeIfAbsent(at.plus(runFor), k -> new ArrayList<>()).add(container);
            }
        }
        exits.forEach((when, containers) -> simulation.schedule.at(when, due -> exit(task, containers, due)));
    }

    private void exit(EcsTask task, List<EcsTask.Container> exiting, Instant at) {
        if (task.stopped()) {
            return;
        }
        for (EcsTask.Container container : exiting) {
            container.lastStatus = "STOPPED";
            container.exitCode = exitCode(container.behaviour);
            ContainerOutput output = simulation.output;
            if (output != null) {
                output.exited(task, container, container.exitCode, at);
            }
        }
        if (exiting.stream().anyMatch(c -> c.essential)) {
            // "If the essential parameter of a container is marked as true, and that container fails
            // or stops for any reason, all other containers that are part of the task are stopped."
            task.desiredStatus = "STOPPED";
            task.stoppingAt = at;
            stopSignalling(task, "EssentialContainerExited", "Essential container in task exited", at);
        } else {
            changed(task, at);
        }
    }

    private void stopSignalling(EcsTask task, String stopCode, String reason, Instant at) {
        markStopped(task, stopCode, reason, at, task.lastStatus.equals("RUNNING"));
    }

    private void markStopped(EcsTask task, String stopCode, String reason, Instant at, boolean signalRunning) {
        for (EcsTask.Container container : task.containers) {
            if (!container.lastStatus.equals("STOPPED")) {
                container.lastStatus = "STOPPED";
                if (signalRunning) {
                    container.exitCode = container.behaviour instanceof ImageBehaviour.Hangs ? SIGKILL_EXIT : SIGTERM_EXIT;
                }
            }
        }
        task.lastStatus = "STOPPED";
        task.stopCode = stopCode;
        task.stoppedReason = reason;
        task.stoppedAt = at;
        changed(task, at);
        if (task.onStopped != null) {
            task.onStopped.accept(task);
        }
    }

    private static int exitCode(ImageBehaviour behaviour) {
        if (behaviour instanceof ImageBehaviour.CrashOnStart crash) {
            return crash.exitCode();
        }
        if (behaviour instanceof ImageBehaviour.MigrationExit migration) {
            return migration.exitCode();
        }
        return 0;
    }

    private void changed(EcsTask task, Instant at) {
        task.version++;
        task.updatedAt = at;
        simulation.emit(simulation.events.taskStateChange(task, at));
    }
}
