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

    /**
     * Compact JSON text of a node, as {@code MAPPER.writeValueAsString} writes it. The tree is walked
     * with a generator directly: the engine writes every state's input and output (history,
     * 256 KiB check), and the mapper would set up a serializer provider for each of them.
     */
    public static String write(JsonNode node) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator generator = MAPPER.getFactory().createGenerator(out)) {
            write(generator, node);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("A JSON tree could not be written", e);
        }
        return out.toString();
    }

    private static void write(com.fasterxml.jackson.core.JsonGenerator generator, JsonNode node)
            throws java.io.IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                generator.writeStartObject();
                for (java.util.Map.Entry<String, JsonNode> entry : node.properties()) {
                    generator.writeFieldName(entry.getKey());
                    write(generator, entry.getValue());
                }
                generator.writeEndObject();
            }
            case ARRAY -> {
                generator.writeStartArray();
                for (JsonNode item : node) {
                    write(generator, item);
                }
                generator.writeEndArray();
            }
            case STRING -> generator.writeString(node.textValue());
            case BOOLEAN -> generator.writeBoolean(node.booleanValue());
            case NULL -> generator.writeNull();
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> generator.writeNumber(node.intValue());
                    case LONG -> generator.writeNumber(node.longValue());
                    case BIG_INTEGER -> generator.writeNumber(node.bigIntegerValue());
                    case FLOAT -> generator.writeNumber(node.floatValue());
                    case DOUBLE -> generator.writeNumber(node.doubleValue());
                    default -> generator.writeNumber(node.decimalValue());
                }
            }
            default -> MAPPER.writeTree(generator, node); // binary, POJO: rare, the mapper's way
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
