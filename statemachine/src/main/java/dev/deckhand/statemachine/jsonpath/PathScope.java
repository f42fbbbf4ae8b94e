package dev.deckhand.statemachine.jsonpath;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What a JSONPath reference can see: {@code $} (the current input), {@code $$} (the context
 * object) and {@code $name} (workflow variables).
 */
public record PathScope(JsonNode input, JsonNode context, Map<String, JsonNode> variables) {
}
