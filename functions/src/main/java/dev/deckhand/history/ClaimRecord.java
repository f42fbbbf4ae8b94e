package dev.deckhand.history;

import dev.deckhand.deployment.Outcome;
import java.time.Instant;

/**
 * The latest attempt of a deployment id, as the history holds it.
 *
 * @param executionArn the execution that runs or ran the attempt
 */
public record ClaimRecord(int attempt, Outcome outcome, String executionArn, Instant startedAt) {
}
