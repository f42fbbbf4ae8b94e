package dev.deckhand.migrate;

/** Where a migration task stands, judged by {@link MigrationVerdict}. */
public sealed interface MigrationStatus {

    /** Not stopped yet; poll again. */
    record Running(String lastStatus) implements MigrationStatus {
    }

    /** The migration container exited 0. */
    record Succeeded() implements MigrationStatus {
    }

    /** The migration container exited with a non-zero code. */
    record Failed(int exitCode, String reason) implements MigrationStatus {
    }

    /** The task stopped without the migration container ever exiting (pull failure, no capacity…). */
    record NeverStarted(String stopCode, String reason) implements MigrationStatus {
    }
}
