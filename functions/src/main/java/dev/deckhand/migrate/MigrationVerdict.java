package dev.deckhand.migrate;

import java.util.Optional;

/**
 * Judges a migration by the exit code of the named container only: a sidecar (log router, proxy)
 * that exits 0 says nothing about the migration, and a task that stopped before the container ran
 * has no exit code at all — a failure with ECS's stop code and reason, never a success.
 */
public final class MigrationVerdict {

    private MigrationVerdict() {
    }

    public static MigrationStatus judge(TaskSnapshot task, String container) {
        if (!"STOPPED".equals(task.lastStatus())) {
            return new MigrationStatus.Running(task.lastStatus());
        }
        Optional<ContainerSnapshot> migration = task.container(container);
        if (migration.isEmpty()) {
            return new MigrationStatus.NeverStarted(task.stopCode(),
                    "the task has no container named '" + container + "'");
        }
        Integer exitCode = migration.get().exitCode();
        if (exitCode == null) {
            return new MigrationStatus.NeverStarted(task.stopCode(), describe(task, migration.get()));
        }
        if (exitCode == 0) {
            return new MigrationStatus.Succeeded();
        }
        return new MigrationStatus.Failed(exitCode, describe(task, migration.get()));
    }

    private static String describe(TaskSnapshot task, ContainerSnapshot container) {
        StringBuilder reason = new StringBuilder();
        if (task.stoppedReason() != null && !task.stoppedReason().isBlank()) {
            reason.append(task.stoppedReason());
        }
        if (container.reason() != null && !container.reason().isBlank()) {
            reason.append(reason.length() == 0 ? "" : "; ").append(container.name()).append(": ").append(container.reason());
        }
        return reason.length() == 0 ? "no reason given by ECS" : reason.toString();
    }
}
