package dev.deckhand.notify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deployment.Outcome;
import java.time.Instant;

/**
 * What Deckhand tells people and systems about one outcome. The same shape goes to SNS, to
 * EventBridge (as {@code detail}) and, summarised, to Slack. It never carries secrets.
 *
 * @param summary one line a person reads first
 * @param diagnostics what an operator needs first after a failure (errors, service events, last
 *     health answers), or {@code null}
 */
public record DeploymentReport(
        Outcome outcome,
        String summary,
        String deploymentId,
        Integer attempt,
        String service,
        String environment,
        String image,
        String tag,
        String trigger,
        String requestedBy,
        String executionArn,
        Instant startedAt,
        Instant finishedAt,
        JsonNode diagnostics) {
}
