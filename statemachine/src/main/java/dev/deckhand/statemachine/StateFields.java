package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The ASL fields of one state that the interpreter reads, taken from its definition once, at load:
 * each is the field's JSON value as written ({@code null} when absent; JSON null where ASL gives it
 * a meaning, as for {@code "InputPath": null}). The interpreter reads these, never the raw object.
 */
record StateFields(
        JsonNode next,
        JsonNode defaultState,
        JsonNode resource,
        JsonNode label,
        JsonNode inputPath,
        JsonNode outputPath,
        JsonNode resultPath,
        JsonNode parameters,
        JsonNode resultSelector,
        JsonNode result,
        JsonNode arguments,
        JsonNode output,
        JsonNode assign,
        JsonNode seconds,
        JsonNode timestamp,
        JsonNode secondsPath,
        JsonNode timestampPath,
        JsonNode choices,
        JsonNode error,
        JsonNode cause,
        JsonNode errorPath,
        JsonNode causePath,
        JsonNode items,
        JsonNode itemsPath,
        JsonNode itemSelector,
        JsonNode maxConcurrency,
        JsonNode maxConcurrencyPath,
        JsonNode timeoutSeconds,
        JsonNode timeoutSecondsPath,
        JsonNode heartbeatSeconds,
        JsonNode heartbeatSecondsPath) {

    static StateFields of(ObjectNode fields) {
        return new StateFields(
                fields.get("Next"),
                fields.get("Default"),
                fields.get("Resource"),
                fields.get("Label"),
                fields.get("InputPath"),
                fields.get("OutputPath"),
                fields.get("ResultPath"),
                fields.get("Parameters"),
                fields.get("ResultSelector"),
                fields.get("Result"),
                fields.get("Arguments"),
                fields.get("Output"),
                fields.get("Assign"),
                fields.get("Seconds"),
                fields.get("Timestamp"),
                fields.get("SecondsPath"),
                fields.get("TimestampPath"),
                fields.get("Choices"),
                fields.get("Error"),
                fields.get("Cause"),
                fields.get("ErrorPath"),
                fields.get("CausePath"),
                fields.get("Items"),
                fields.get("ItemsPath"),
                fields.get("ItemSelector"),
                fields.get("MaxConcurrency"),
                fields.get("MaxConcurrencyPath"),
                fields.get("TimeoutSeconds"),
                fields.get("TimeoutSecondsPath"),
                fields.get("HeartbeatSeconds"),
                fields.get("HeartbeatSecondsPath"));
    }

    /** A field's text, or {@code null} when it is absent or JSON null. */
    static String text(JsonNode value) {
        return value == null || value.isNull() ? null : value.asText();
    }
}
