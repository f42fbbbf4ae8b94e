package dev.deckhand.config;

import java.util.List;

/**
 * The database migration run as a one-off ECS task with the new image before the service is
 * updated.
 *
 * @param command the container command override, e.g. {@code ["bin/migrate", "up"]}
 * @param container the container whose exit code decides, or {@code null} for the service's container
 * @param timeoutSeconds how long the task may run before Deckhand stops it and fails the deployment
 */
public record MigrationSettings(List<String> command, String container, int timeoutSeconds) {

    public static final int DEFAULT_TIMEOUT_SECONDS = 900;

    public MigrationSettings {
        command = List.copyOf(command);
    }
}
