package dev.deckhand.statemachine.jsonpath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.deckhand.statemachine.StatesError;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONPath query language of ASL: paths (Jayway JsonPath), reference paths for ResultPath, and
 * payload templates with {@code .$} keys
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html).
 */
public final class JsonPaths {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Configuration CONFIG = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider())
            .mappingProvider(new JacksonMappingProvider())
            .options(EnumSet.noneOf(Option.class))
            .build();
    private static final Pattern VARIABLE = Pattern.compile("^\\$([A-Za-z_][A-Za-z0-9_]*)(.*)$", Pattern.DOTALL);

    // Paths come from definitions, so there are few: each is parsed once (a compiled JsonPath is immutable).
    private static final int MAX_COMPILED = 10_000;
    private static final Map<String, JsonPath> COMPILED = new ConcurrentHashMap<>();

    private JsonPaths() {
    }

    /**
     * Reads a path: {@code $…} against the input, {@code $$…} against the context object,
     * {@code $name…} against a workflow variable.
     *
     * @throws StatesError {@code States.Runtime} when the path matches nothing, as AWS reports it
     */
    public static JsonNode read(String path, PathScope scope, String field) {
        JsonNode document;
        String jaywayPath;
        if (path.startsWith("$$")) {
            document = scope.context();
            jaywayPath = "$" + path.substring(2);
        } else {
            Matcher variable = VARIABLE.matcher(path);
            if (variable.matches()) {
                JsonNode value = scope.variables().get(variable.group(1));
                if (value == null) {
                    throw new StatesError(StatesError.RUNTIME, "The variable '$" + variable.group(1)
                            + "' referenced by the field '" + field + "' is not defined.");
                }
                document = value;
                jaywayPath = "$" + variable.group(2);
            } else if (path.startsWith("$")) {
                document = scope.input();
                jaywayPath = path;
            } else {
                throw new StatesError(StatesError.RUNTIME, "The value for the field '" + field
                        + "' must be a valid JSONPath: " + path);
            }
        }
        if (jaywayPath.equals("$")) {
            return document;
        }
        JsonPath compiled;
        try {
            compiled = COMPILED.get(jaywayPath);
            if (compiled == null) {
                compiled = JsonPath.compile(jaywayPath);
                if (COMPILED.size() < MAX_COMPILED) {
                    COMPILED.putIfAbsent(jaywayPath, compiled);
                }
            }
        } catch (InvalidPathException e) {
            throw new StatesError(StatesError.RUNTIME, "The value for the field '" + field
                    + "' must be a valid JSONPath: " + path);
        }
        try {
            JsonNode result = JsonPath.using(CONFIG).parse(document).read(compiled);
            return result == null ? NODES.nullNode() : result;
        } catch (PathNotFoundException e) {
            if (!compiled.isDefinite()) {
                // A wildcard, slice, filter or deep scan selects a list: on a missing path AWS answers an empty
                // list, not a failure (observed on AWS, issue 19: "$.items[*]" and "[1:]" on a missing path -> []).
                return NODES.arrayNode();
            }
            throw new StatesError(StatesError.RUNTIME, "The JSONPath '" + path + "' specified for the field '"
                    + field + "' could not be found in the input '" + document + "'");
        } catch (InvalidPathException e) {
            throw new StatesError(StatesError.RUNTIME, "The value for the field '" + field
                    + "' must be a valid JSONPath: " + path);
        }
    }

    /**
     * Builds a payload template (Parameters, ResultSelector, ItemSelector, Assign): a key ending in
     * {@code .$} takes the value of its path or intrinsic function, other values are copied.
     */
    public static JsonNode template(JsonNode template, PathScope scope, String field) {
        if (template.isObject()) {
            ObjectNode result = NODES.objectNode();
            for (Map.Entry<String, JsonNode> entry : template.properties()) {
                String key = entry.getKey();
                if (key.endsWith(".$")) {
                    String name = key.substring(0, key.length() - 2);
                    String expression = entry.getValue().asText();
                    result.set(name, expression.startsWith("States.")
                            ? IntrinsicFunctions.evaluate(expression, scope)
                            : read(expression, scope, key)); // AWS names the key: "the field 'address.$'"
                } else {
                    result.set(key, template(entry.getValue(), scope, field + "." + key));
                }
            }
            return result;
        }
        if (template.isArray()) {
            ArrayNode result = NODES.arrayNode();
            template.forEach(item -> result.add(template(item, scope, field)));
            return result;
        }
        return template;
    }

    /**
     * Applies ResultPath: {@code $} replaces the input, a reference path sets the result inside a copy
     * of the input (creating objects on the way), a JSON null keeps the input
     * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html).
     *
     * <p>Only the objects and arrays along the path are copied; the rest is shared with the input.
     * That is safe because the engine never changes a node it did not just create (task resources
     * and data flows build new nodes), so the input, which the context object and sibling branches
     * may still hold, is never changed.
     */
    public static JsonNode applyResultPath(JsonNode input, JsonNode resultPath, JsonNode result) {
        if (resultPath == null) {
            return result;
        }
        if (resultPath.isNull()) {
            return input;
        }
        String path = resultPath.asText();
        if (path.equals("$")) {
            return result;
        }
        if (!path.startsWith("$")) {
            throw new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE, "ResultPath " + path + " is not a reference path");
        }
        List<Object> steps = referenceSteps(path);
        if (!input.isObject()) {
            throw new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE, "Unable to apply ResultPath \"" + path
                    + "\" to input \"" + input + "\"");
        }
        JsonNode copy = shallowCopy(input);
        JsonNode current = copy;
        for (int i = 0; i < steps.size(); i++) {
            Object step = steps.get(i);
            boolean last = i == steps.size() - 1;
            if (step instanceof String name) {
                if (!current.isObject()) {
                    throw new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE, "Unable to apply ResultPath \""
                            + path + "\" to input \"" + input + "\"");
                }
                ObjectNode object = (ObjectNode) current;
                if (last) {
                    object.set(name, result);
                } else {
                    JsonNode child = object.path(name);
                    current = child.isContainerNode() ? shallowCopy(child) : NODES.objectNode();
                    object.set(name, current);
                }
            } else {
                int index = (Integer) step;
                if (!current.isArray() || index >= current.size()) {
                    throw new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE, "Unable to apply ResultPath \""
                            + path + "\" to input \"" + input + "\"");
                }
                if (last) {
                    ((ArrayNode) current).set(index, result);
                } else {
                    JsonNode child = current.get(index);
                    if (child.isContainerNode()) {
                        JsonNode own = shallowCopy(child);
                        ((ArrayNode) current).set(index, own);
                        child = own;
                    }
                    current = child;
                }
            }
        }
        return copy;
    }

    /** A new object or array holding the same members (a scalar is returned as is: it cannot change). */
    private static JsonNode shallowCopy(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = NODES.objectNode();
            copy.setAll(object);
            return copy;
        }
        if (node instanceof ArrayNode array) {
            return NODES.arrayNode(array.size()).addAll(array);
        }
        return node;
    }

    /** The steps of a reference path: {@code .name}, {@code ['name']} or {@code ["name"]} (with \\-escapes), {@code [index]}. */
    private static List<Object> referenceSteps(String path) {
        List<Object> steps = new ArrayList<>();
        int position = 1;
        while (position < path.length()) {
            char c = path.charAt(position);
            if (c == '.') {
                int end = position + 1;
                while (end < path.length() && ".[]".indexOf(path.charAt(end)) < 0) {
                    end++;
                }
                if (end == position + 1) {
                    throw notAReferencePath(path);
                }
                steps.add(path.substring(position + 1, end));
                position = end;
            } else if (c == '[' && position + 1 < path.length()
                    && (path.charAt(position + 1) == '\'' || path.charAt(position + 1) == '"')) {
                char quote = path.charAt(position + 1);
                StringBuilder name = new StringBuilder();
                int i = position + 2;
                while (i < path.length() && path.charAt(i) != quote) {
                    if (path.charAt(i) == '\\' && i + 1 < path.length()) {
                        i++;
                    }
                    name.append(path.charAt(i++));
                }
                if (i + 1 >= path.length() || path.charAt(i + 1) != ']') {
                    throw notAReferencePath(path);
                }
                steps.add(name.toString());
                position = i + 2;
            } else if (c == '[') {
                int end = path.indexOf(']', position);
                if (end < 0 || !path.substring(position + 1, end).matches("\\d+")) {
                    throw notAReferencePath(path);
                }
                steps.add(Integer.parseInt(path.substring(position + 1, end)));
                position = end + 1;
            } else {
                throw notAReferencePath(path);
            }
        }
        return steps;
    }

    private static StatesError notAReferencePath(String path) {
        return new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE, "ResultPath " + path
                + " is not a reference path (only .name, ['name'] and [index] steps)");
    }
}
