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

/**
 * Drives one-off tasks through the task lifecycle ("Amazon ECS task lifecycle"): PROVISIONING,
 * PENDING while images are pulled, RUNNING, then STOPPED when an essential container exits (all
 * other containers are then stopped), when an image cannot be pulled (TaskFailedToStart with
 * CannotPullContainerError and no exit code), or on StopTask (UserInitiated). The intermediate
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

    OneOffTask launch(EcsCluster cluster, TaskDefinition definition, Instant at, String startedBy, String group,
                      String launchType, ObjectNode overrides) {
        String id = Simulation.newTaskId();
        String arn = simulation.arn("task/" + cluster.name + "/" + id);
        List<OneOffTask.Container> containers = new ArrayList<>();
        for (TaskDefinition.Container container : definition.containers) {
            EcrImage image = simulation.pull(container.image()).orElse(null);
            containers.add(new OneOffTask.Container(container.name(),
                    simulation.arn("container/" + cluster.name + "/" + id + "/" + UUID.randomUUID()),
                    container.image(), image == null ? null : image.digest(), container.essential(),
                    image == null ? ImageBehaviour.pullFailure() : image.behaviour(),
                    simulation.pullFailure(container.image())));
        }
        OneOffTask task = new OneOffTask(id, arn, cluster, definition, at, startedBy, group, launchType, overrides,
                containers);
        cluster.tasks.put(id, task);
        changed(task, at);
        WorkloadTiming timing = simulation.timing;
        simulation.schedule.at(at.plus(timing.provisioning()), when -> pending(task, when));
        simulation.schedule.at(at.plus(timing.taskStart()), when -> start(task, when));
        return task;
    }

    /** StopTask: containers still running are signalled; the task is STOPPED with stopCode UserInitiated. */
    void stop(OneOffTask task, String reason, Instant at) {
        if (task.stopped()) {
            return;
        }
        task.desiredStatus = "STOPPED";
        task.stoppingAt = at;
        stopTask(task, "UserInitiated", reason == null || reason.isEmpty() ? "Task stopped by user" : reason, at);
    }

    private void pending(OneOffTask task, Instant at) {
        if (task.stopped()) {
            return;
        }
        task.lastStatus = "PENDING";
        task.pullStartedAt = at;
        changed(task, at);
    }

    private void start(OneOffTask task, Instant at) {
        if (task.stopped()) {
            return;
        }
        task.pullStoppedAt = at;
        OneOffTask.Container unpullable = task.containers.stream().filter(c -> c.pullFailure != null).findFirst()
                .orElse(null);
        if (unpullable != null) {
            for (OneOffTask.Container container : task.containers) {
                container.lastStatus = "STOPPED";
                container.reason = container.pullFailure;
            }
            task.desiredStatus = "STOPPED";
            task.stoppingAt = at;
            stop(task, "TaskFailedToStart", unpullable.pullFailure, at, false);
            return;
        }
        task.lastStatus = "RUNNING";
        task.startedAt = at;
        task.containers.forEach(c -> c.lastStatus = "RUNNING");
        changed(task, at);
        Map<Instant, List<OneOffTask.Container>> exits = new TreeMap<>();
        for (OneOffTask.Container container : task.containers) {
            Duration runFor = container.behaviour instanceof ImageBehaviour.Hangs ? null
                    : container.behaviour instanceof ImageBehaviour.CrashOnStart ? simulation.timing.crashAfter()
                    : simulation.timing.oneOffRun();
            if (runFor != null) {
                exits.computeIfAbsent(at.plus(runFor), k -> new ArrayList<>()).add(container);
            }
        }
        exits.forEach((when, containers) -> simulation.schedule.at(when, due -> exit(task, containers, due)));
    }

    private void exit(OneOffTask task, List<OneOffTask.Container> exiting, Instant at) {
        if (task.stopped()) {
            return;
        }
        for (OneOffTask.Container container : exiting) {
            container.lastStatus = "STOPPED";
            container.exitCode = exitCode(container.behaviour);
        }
        if (exiting.stream().anyMatch(c -> c.essential)) {
            // "If the essential parameter of a container is marked as true, and that container fails
            // or stops for any reason, all other containers that are part of the task are stopped."
            task.desiredStatus = "STOPPED";
            task.stoppingAt = at;
            stopTask(task, "EssentialContainerExited", "Essential container in task exited", at);
        } else {
            changed(task, at);
        }
    }

    private void stopTask(OneOffTask task, String stopCode, String reason, Instant at) {
        stop(task, stopCode, reason, at, task.lastStatus.equals("RUNNING"));
    }

    private void stop(OneOffTask task, String stopCode, String reason, Instant at, boolean signalRunning) {
        for (OneOffTask.Container container : task.containers) {
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

    private void changed(OneOffTask task, Instant at) {
        task.version++;
        task.updatedAt = at;
        simulation.emit(simulation.events.taskStateChange(task, at));
    }
}
