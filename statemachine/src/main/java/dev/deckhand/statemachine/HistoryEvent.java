package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One entry of an execution's history, as GetExecutionHistory returns it
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html):
 * a type such as {@code TaskStateEntered}, ids linking it to the event before it in the same
 * branch, and a details object under a type-specific field such as
 * {@code stateEnteredEventDetails}.
 */
public record HistoryEvent(long id, long previousEventId, Instant timestamp, String type, String detailsField,
                           ObjectNode details) {

    /** The event as the API's JSON shape ({@code timestamp} in epoch seconds, as the JSON protocol sends it). */
    public ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("timestamp", timestamp.toEpochMilli() / 1000.0);
        node.put("type", type);
        node.put("id", id);
        node.put("previousEventId", previousEventId);
        if (detailsField != null) {
            node.set(detailsField, details);
        }
        return node;
    }

    /** The state name in the details, for state entered/exited events; {@code null} otherwise. */
    public String stateName() {
        return details == null || !details.has("name") ? null : details.get("name").asText();
    }
}
