package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.statemachine.jsonata.JsonataExpressions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSONata data flow of a state: what its expressions see ({@code $states.input/result/
 * errorOutput/context} and the workflow variables) and the evaluation of its Arguments, Output
 * and Assign templates (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).
 */
final class JsonataDataFlow {

    private JsonataDataFlow() {
    }

    /** The variables an expression sees: the workflow variables and {@code $states}. */
    static Map<String, JsonNode> bindings(JsonNode input, JsonNode result, JsonNode errorOutput, JsonNode context,
                                          Variables variables) {
        Map<String, JsonNode> bindings = new LinkedHashMap<>(variables.visible());
        ObjectNode states = Json.MAPPER.createObjectNode();
        states.set("input", input);
        if (result != null) {
            states.set("result", result);
        }
        if (errorOutput != null) {
            states.set("errorOutput", errorOutput);
        }
        states.set("context", context);
        bindings.put("states", states);
        return bindings;
    }

    /** The same bindings with another context object (a Map item's, for its ItemSelector). */
    static Map<String, JsonNode> withContext(Map<String, JsonNode> bindings, JsonNode context) {
        Map<String, JsonNode> copy = new LinkedHashMap<>(bindings);
        // A new $states sharing input and result with the original (neither is modified): no deep copy per item.
        ObjectNode states = Json.MAPPER.createObjectNode();
        states.setAll((ObjectNode) copy.get("states"));
        states.set("context", context);
        copy.put("states", states);
        return copy;
    }

    /** Evaluates every {@code {% %}} expression of a template; {@code now} is the engine clock's time. */
    static JsonNode evaluate(JsonNode template, Map<String, JsonNode> bindings, String field, Instant now) {
        return JsonataExpressions.evaluateTemplate(template, bindings, field, now);
    }

    /** A JSONata Assign, evaluated (not yet applied): each variable and its value. */
    static Map<String, JsonNode> evaluateAssign(JsonNode assignTemplate, Map<String, JsonNode> bindings, Instant now) {
        if (assignTemplate == null) {
            return Map.of();
        }
        return JsonPathDataFlow.toMap(evaluate(assignTemplate, bindings, "Assign", now));
    }
}
