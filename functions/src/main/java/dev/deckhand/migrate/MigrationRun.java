package dev.deckhand.migrate;

import java.time.Instant;

/**
 * A one-off task Deckhand started, carried by the state machine between "start" and "check".
 *
 * @param purpose {@code migration} (also when absent: runs recorded before there was another) or
 *     {@code verification}
 */
public record MigrationRun(String taskArn, String taskDefinition, String container, Instant startedAt, int timeoutSeconds,
        String purpose) {

    public static final String MIGRATION = "migration";
    public static final String VERIFICATION = "verification";

    public MigrationRun {
        purpose = purpose == null ? MIGRATION : purpose;
    }

    /** How messages name the task: "migration", "verification task". */
    public String what() {
        return MIGRATION.equals(purpose) ? "migration" : "verification task";
    }
}
