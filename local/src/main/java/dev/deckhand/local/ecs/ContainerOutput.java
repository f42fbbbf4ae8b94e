package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.logs.LogStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a simulated one-off container prints before it exits, delivered as the awslogs driver
 * would: one event per line into {@code <awslogs-group>}, stream
 * {@code <awslogs-stream-prefix>/<container-name>/<task-id>} ("Using the awslogs log driver",
 * ECS developer guide). A failing migration prints many progress lines, then a recognisable error,
 * so a reader of the tail can tell the tail from the whole.
 */
public final class ContainerOutput {

    /** The line a migration that exits non-zero prints last. */
    public static final String MIGRATION_ERROR = "ERROR: migration 0087_orders_add_unique_reference failed: "
            + "duplicate key value violates unique constraint \"orders_reference_key\"";
    public static final int MIGRATION_PROGRESS_LINES = 86;

    private final LogStore logs;

    ContainerOutput(LogStore logs) {
        this.logs = logs;
    }

    /**
     * Writes what {@code container} of {@code task} printed; nothing when its definition logs
     * elsewhere or its log group does not exist (where ECS would fail the task's start instead).
     */
    void exited(EcsTask task, EcsTask.Container container, int exitCode, Instant at) {
        JsonNode configuration = logConfiguration(task.taskDefinition, container.name);
        if (configuration == null || !"awslogs".equals(configuration.path("logDriver").asText())) {
            return;
        }
        JsonNode options = configuration.path("options");
        String group = options.path("awslogs-group").asText(null);
        String prefix = options.path("awslogs-stream-prefix").asText(null);
        if (group == null || prefix == null || !logs.hasGroup(group)) {
            return;
        }
        logs.append(group, prefix + "/" + container.name + "/" + task.id, lines(container.behaviour, exitCode), at);
    }

    static List<String> lines(ImageBehaviour behaviour, int exitCode) {
        List<String> lines = new ArrayList<>();
        if (behaviour instanceof ImageBehaviour.CrashOnStart) {
            lines.add("FATAL: cannot start: required setting DATABASE_URL is not set");
            return lines;
        }
        lines.add("migrate: connecting to the database");
        int progress = exitCode == 0 ? 3 : MIGRATION_PROGRESS_LINES;
        for (int i = 1; i <= progress; i++) {
            lines.add(String.format("migrate: applying %04d_expand_schema_step_%04d (checksum %08x) in a transaction ... ok",
                    i, i, i * 2654435761L & 0xffffffffL));
        }
        lines.add(exitCode == 0 ? "migrate: all migrations applied" : MIGRATION_ERROR);
        return lines;
    }

    private static JsonNode logConfiguration(TaskDefinition definition, String container) {
        for (JsonNode candidate : definition.json.path("containerDefinitions")) {
            if (container.equals(candidate.path("name").asText())) {
                return candidate.get("logConfiguration");
            }
        }
        return null;
    }
}
