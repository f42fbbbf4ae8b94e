package dev.deckhand.migrate;

/**
 * One container of a one-off task, as DescribeTasks reports it.
 *
 * @param exitCode {@code null} when the container never ran (e.g. its image could not be pulled)
 * @param reason ECS's short reason for a stopped container, or {@code null}
 */
public record ContainerSnapshot(String name, String lastStatus, Integer exitCode, String reason) {
}
