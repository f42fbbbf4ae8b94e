package dev.deckhand.migrate;

import java.time.Instant;

/** A migration task Deckhand started, carried by the state machine between "start" and "check". */
public record MigrationRun(String taskArn, String taskDefinition, String container, Instant startedAt, int timeoutSeconds) {
}
