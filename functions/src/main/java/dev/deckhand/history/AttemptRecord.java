package dev.deckhand.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deployment.Outcome;
import java.time.Instant;

/**
 * One attempt of one deployment as the history keeps it.
 *
 * @param details what the steps reported (release, rollout, health answers, failure, rollback),
 *     for the status API and for people; never secrets
 */
public record AttemptRecord(
        String deploymentId,
        int attempt,
        Outcome outcome,
        String service,
        String environment,
        String image,
        String tag,
        String trigger,
        String requestedBy,
        String executionArn,
        Instant startedAt,
        Instant finishedAt,
        String reason,
        JsonNode details) {
}
