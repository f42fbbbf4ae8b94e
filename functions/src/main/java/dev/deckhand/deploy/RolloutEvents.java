package dev.deckhand.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.wait.EventJudge;

/**
 * Judges a rollout from ECS's final event for its deployment (keyed by the deployment's id, so
 * the event is of this deployment): SERVICE_DEPLOYMENT_COMPLETED is {@code COMPLETED} — ECS
 * completes only a deployment that reached steady state as PRIMARY. SERVICE_DEPLOYMENT_FAILED is
 * {@code ENDED}: "Check the rollout" then describes the service and explains the failure in full
 * (stopped tasks, service events) with {@link RolloutVerdict}, as it does after a lost event.
 */
public final class RolloutEvents implements EventJudge {

    @Override
    public String verdict(JsonNode started, JsonNode detail) {
        String event = detail.path("eventName").asText();
        boolean completed = "SERVICE_DEPLOYMENT_COMPLETED".equals(event);
        String reason = detail.path("reason").asText("");
        return DeckhandJson.MAPPER.createObjectNode()
                .put("status", completed ? "COMPLETED" : "ENDED")
                .put("progress", "ECS reported " + event + (reason.isBlank() ? "" : ": " + reason))
                .set("rollout", started).toString();
    }
}
