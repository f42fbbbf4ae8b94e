package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The data-flow fields every kind of state may have, taken from its definition once, at load: each
 * is the field's JSON value as written ({@code null} when absent; JSON null where ASL gives it a
 * meaning, as for {@code "InputPath": null}). What a state's type adds is its {@link StateKind}.
 */
record StateFields(
        JsonNode next,
        JsonNode inputPath,
        JsonNode outputPath,
        JsonNode resultPath,
        JsonNode parameters,
        JsonNode resultSelector,
        JsonNode arguments,
        JsonNode output,
        JsonNode assign) {

    static StateFields of(ObjectNode fields) {
        return new StateFields(
                fields.get("Next"),
                fields.get("InputPath"),
                fields.get("OutputPath"),
                fields.get("ResultPath"),
                fields.get("Parameters"),
                fields.get("ResultSelector"),
                fields.get("Arguments"),
                fields.get("Output"),
                fields.get("Assign"));
    }

    /** A field's text, or {@code null} when it is absent or JSON null. */
    static String text(JsonNode value) {
        return value == null || value.isNull() ? null : value.asText();
    }
}
