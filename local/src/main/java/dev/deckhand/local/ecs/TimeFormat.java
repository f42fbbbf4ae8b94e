package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * How a timestamp is written: the JSON protocol answers epoch seconds, while EventBridge events
 * carry ISO-8601 strings ("Amazon ECS task state change events": createdAt, startedAt, … are ISO
 * string timestamps).
 */
enum TimeFormat {
    EPOCH_SECONDS,
    ISO;

    void put(ObjectNode node, String field, Instant instant) {
        if (instant == null) {
            return;
        }
        if (this == EPOCH_SECONDS) {
            node.put(field, instant.toEpochMilli() / 1000.0);
        } else {
            node.put(field, instant.toString());
        }
    }
}
