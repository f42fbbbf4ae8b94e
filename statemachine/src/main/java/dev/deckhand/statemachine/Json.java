package dev.deckhand.statemachine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The engine's single ObjectMapper and the JSON text conventions of the Step Functions API. */
public final class Json {
    /**
     * Shared, thread-safe mapper. Reading caps nesting at Jackson's default (1000 levels); the engine
     * then wraps what it read a few levels deeper (task payloads, history event details), so writing
     * allows more than reading, or an input at the limit fails inside the engine instead of in the
     * state that reads it. A text with anything after its JSON value is not JSON (StartExecution
     * refuses it as InvalidExecutionInput; Jackson would otherwise read the first value and stop).
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .streamWriteConstraints(StreamWriteConstraints.builder()
                    .maxNestingDepth(StreamReadConstraints.DEFAULT_MAX_DEPTH + 100).build()).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private Json() {
    }

    /** Parses JSON text; a blank text is an empty object, as StartExecution treats a missing input. */
    public static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return MAPPER.createObjectNode();
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Compact JSON text of a node. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree could not be written", e);
        }
    }

    /** The {@code {"Error": …, "Cause": …}} object ASL passes to catchers. */
    public static ObjectNode errorOutput(String error, String cause) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("Error", error);
        node.put("Cause", cause);
        return node;
    }
}
