package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.statemachine.jsonpath.IntrinsicFunctions;
import dev.deckhand.statemachine.jsonpath.JsonPaths;
import dev.deckhand.statemachine.jsonpath.PathScope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSONPath data flow of a state: InputPath, Parameters/ResultSelector/Assign templates,
 * ResultPath and OutputPath (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html).
 */
final class JsonPathDataFlow {

    private JsonPathDataFlow() {
    }

    /** InputPath: absent means {@code $}, JSON null means an empty object (spec, "Filters"). */
    static JsonNode inputPath(State state, JsonNode input, JsonNode context, Variables variables) {
        return filter(state.f().inputPath(), input, context, variables, "InputPath");
    }

    /** OutputPath, as InputPath. */
    static JsonNode outputPath(State state, JsonNode output, JsonNode context, Variables variables) {
        return filter(state.f().outputPath(), output, context, variables, "OutputPath");
    }

    private static JsonNode filter(JsonNode path, JsonNode value, JsonNode context, Variables variables, String field) {
        if (path == null) {
            return value;
        }
        if (path.isNull()) {
            return Json.MAPPER.createObjectNode();
        }
        return read(path.asText(), new PathScope(value, context, variables.visible()), field);
    }

    /** The state's ResultPath as written ({@code null} when absent: the result replaces the input). */
    static JsonNode resultPath(State state) {
        return state.f().resultPath();
    }

    /** A payload template (Parameters, ResultSelector, ItemSelector, Assign) against {@code input}. */
    static JsonNode template(JsonNode template, JsonNode input, JsonNode context, Variables variables, String field) {
        return JsonPaths.template(template, new PathScope(input, context, variables.visible()), field);
    }

    /** A JSONPath Assign, evaluated (not yet applied): each variable and its value. */
    static Map<String, JsonNode> evaluateAssignJsonPath(JsonNode assignTemplate, JsonNode input, JsonNode context,
                                                        Variables variables) {
        return assignTemplate == null ? Map.of() : toMap(template(assignTemplate, input, context, variables, "Assign"));
    }

    static JsonNode read(String path, PathScope scope, String field) {
        return JsonPaths.read(path, scope, field);
    }

    /** ErrorPath/CausePath of a Fail state: a reference path or an intrinsic function (state-fail.html). */
    static JsonNode pathOrIntrinsic(String expression, PathScope scope, String field) {
        return expression.startsWith("States.") ? IntrinsicFunctions.evaluate(expression, scope)
                : JsonPaths.read(expression, scope, field);
    }

    /** The members of an object, in order (an evaluated Assign). */
    static Map<String, JsonNode> toMap(JsonNode object) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            values.put(entry.getKey(), entry.getValue());
        }
        return values;
    }
}
