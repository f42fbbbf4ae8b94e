package dev.deckhand.migrate;

/** The answer of "Check the migration": {@code SUCCEEDED}, or {@code RUNNING} with the task's last status. */
public record MigrationProgress(String status, String taskArn, String detail) {
}
