package dev.deckhand.statemachine.jsonata;

import com.dashjoin.jsonata.Functions;
import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Utils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.statemachine.StatesError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * JSONata as Step Functions runs it: {@code "{% … %}"} strings evaluated with the dashjoin
 * implementation, {@code $states} and workflow variables bound, the functions Step Functions adds
 * and without {@code $eval}
 * (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).
 */
public final class JsonataExpressions {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern EVAL = Pattern.compile("\\$eval\\s*\\(");
    private static final List<String> HASH_ALGORITHMS = List.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");

    private static final int MAX_COMPILED = 10_000;
    private static final Map<String, Jsonata> COMPILED = new ConcurrentHashMap<>();
    private static final ThreadLocal<Long> NOW_MILLIS = new ThreadLocal<>();
    private static final Map<String, Jsonata.JFunction> STEP_FUNCTIONS_FUNCTIONS = stepFunctionsFunctions();

    private JsonataExpressions() {
    }

    /** Whether a value is a JSONata expression string, {@code "{% … %}"}. */
    public static boolean isExpression(JsonNode value) {
        if (value == null || !value.isTextual()) {
            return false;
        }
        String text = value.asText();
        return text.length() >= 4 && text.startsWith("{%") && text.endsWith("%}");
    }

    /** The syntax error of a {@code "{% … %}"} expression, or {@code null} if it parses. */
    public static String syntaxError(String expressionString) {
        String body = body(expressionString);
        if (EVAL.matcher(body).find()) {
            return "$eval is not available in Step Functions (use $parse)";
        }
        try {
            compiled(body);
            return null;
        } catch (JException e) {
            return e.getMessage();
        } catch (RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    /**
     * Evaluates every {@code "{% … %}"} string inside a template (Arguments, Output, Assign values…);
     * other values are kept as they are.
     *
     * @param field the field name used in error messages, e.g. {@code "Arguments"}
     * @throws StatesError {@code States.QueryEvaluationError} when an expression fails or returns nothing
     */
    public static JsonNode evaluateTemplate(JsonNode template, Map<String, JsonNode> bindings, String field,
                                            Instant now) {
        if (!containsExpression(template)) {
            return template;
        }
        // The bindings are converted to JSONata's values once for all the expressions of the template.
        return evaluateConvertedTemplate(template, toJavaBindings(bindings), field, now);
    }

    private static JsonNode evaluateConvertedTemplate(JsonNode template, Map<String, Object> bindings, String field,
                                                      Instant now) {
        if (isExpression(template)) {
            JsonNode value = evaluateConverted(template.asText(), bindings, now);
            if (value.isMissingNode()) {
                throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The JSONata expression '"
                        + body(template.asText()).trim() + "' specified for the field '" + field
                        + "' returned nothing (undefined).");
            }
            return value;
        }
        if (template.isObject()) {
            ObjectNode result = NODES.objectNode();
            for (Map.Entry<String, JsonNode> entry : template.properties()) {
                result.set(entry.getKey(), evaluateConvertedTemplate(entry.getValue(), bindings, field + "/" + entry.getKey(),
                        now));
            }
            return result;
        }
        if (template.isArray()) {
            ArrayNode result = NODES.arrayNode();
            for (int i = 0; i < template.size(); i++) {
                result.add(evaluateConvertedTemplate(template.get(i), bindings, field + "[" + i + "]", now));
            }
            return result;
        }
        return template;
    }

    /** Whether a template holds any {@code "{% … %}"} string (a template without one is its own value). */
    private static boolean containsExpression(JsonNode template) {
        if (template.isTextual()) {
            return isExpression(template);
        }
        if (template.isContainerNode()) {
            for (JsonNode child : template) {
                if (containsExpression(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Map<String, Object> toJavaBindings(Map<String, JsonNode> bindings) {
        Map<String, Object> converted = new HashMap<>(bindings.size() * 2);
        bindings.forEach((name, value) -> converted.put(name, toJava(value)));
        return converted;
    }

    /**
     * Evaluates one {@code "{% … %}"} string. Bindings are variable names without {@code $}
     * (e.g. {@code states}, and each workflow variable); {@code $now()} and {@code $millis()} read
     * {@code now}, the engine clock's time, so they agree with simulated time.
     *
     * @return the value, or a {@link MissingNode} when the expression returns nothing (undefined)
     */
    public static JsonNode evaluate(String expressionString, Map<String, JsonNode> bindings, Instant now) {
        return evaluateConverted(expressionString, toJavaBindings(bindings), now);
    }

    private static JsonNode evaluateConverted(String expressionString, Map<String, Object> bindings, Instant now) {
        String body = body(expressionString);
        try {
            Jsonata expression = compiled(body);
            Jsonata.Frame frame = expression.createFrame();
            for (Map.Entry<String, Object> binding : bindings.entrySet()) {
                frame.bind(binding.getKey(), binding.getValue());
            }
            NOW_MILLIS.set(now.toEpochMilli());
            return toJson(expression.evaluate(null, frame));
        } catch (StatesError e) {
            throw e;
        } catch (JException e) {
            throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "An error occurred while evaluating the JSONata expression '"
                    + body.trim() + "': " + e.getMessage());
        } catch (RuntimeException e) {
            throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The JSONata expression '" + body.trim()
                    + "' failed: " + e);
        }
    }

    /**
     * The parsed expression, parsed once per text: definition validation parses every expression, so
     * executions find them here. Evaluating a parsed expression with a frame of its own is thread-safe
     * (each evaluation binds into a fresh frame; the dashjoin port keeps per-evaluation state per thread).
     */
    private static Jsonata compiled(String body) {
        Jsonata expression = COMPILED.get(body);
        if (expression == null) {
            expression = Jsonata.jsonata(body);
            expression.setOutputConvertNulls(false);
            // Into the expression's own environment, once: each evaluation's frame is a child of it.
            STEP_FUNCTIONS_FUNCTIONS.forEach(expression::registerFunction);
            if (COMPILED.size() < MAX_COMPILED) {
                COMPILED.putIfAbsent(body, expression);
            }
        }
        return expression;
    }

    private static String body(String expressionString) {
        return expressionString.substring(2, expressionString.length() - 2);
    }

    private static Map<String, Jsonata.JFunction> stepFunctionsFunctions() {
        Map<String, Jsonata.JFunction> functions = new LinkedHashMap<>();
        functions.put("eval", Jsonata.function("eval", (Jsonata.FnVarArgs<Object>) args -> {
            throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "$eval is not available in Step Functions");
        }, null));
        functions.put("partition", Jsonata.function("partition", (Jsonata.FnVarArgs<Object>) args -> {
            List<?> array = asList(args, 0, "$partition");
            int size = asInt(args, 1, "$partition");
            if (size <= 0) {
                throw queryError("$partition: the chunk size must be a positive integer");
            }
            List<Object> chunks = new ArrayList<>();
            for (int i = 0; i < array.size(); i += size) {
                chunks.add(new ArrayList<>(array.subList(i, Math.min(array.size(), i + size))));
            }
            return chunks;
        }, null));
        functions.put("range", Jsonata.function("range", (Jsonata.FnVarArgs<Object>) args -> {
            double start = asNumber(args, 0, "$range");
            double end = asNumber(args, 1, "$range");
            double step = asNumber(args, 2, "$range");
            if (step == 0) {
                throw queryError("$range: the step must not be 0");
            }
            // A JSONata sequence, not an array: like any sequence, one value is unwrapped to itself
            // (observed on AWS, issue 19: $range(1, 9, 9) is 1, not [1]).
            List<Object> values = Utils.createSequence();
            for (double value = start; step > 0 ? value <= end : value >= end; value += step) {
                values.add(value == Math.rint(value) ? (Object) (long) value : (Object) value);
            }
            return values;
        }, null));
        functions.put("hash", Jsonata.function("hash", (Jsonata.FnVarArgs<Object>) args -> {
            if (args.isEmpty() || !(args.get(0) instanceof String data)) {
                throw queryError("$hash: the first argument must be a string");
            }
            String algorithm = args.size() > 1 && args.get(1) instanceof String named ? named : "SHA-256";
            if (!HASH_ALGORITHMS.contains(algorithm)) {
                throw queryError("$hash: the algorithm must be one of " + HASH_ALGORITHMS);
            }
            try {
                return HexFormat.of().formatHex(
                        MessageDigest.getInstance(algorithm).digest(data.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw queryError("$hash: the JVM lacks " + algorithm);
            }
        }, null));
        functions.put("random", Jsonata.function("random", (Jsonata.FnVarArgs<Object>) args -> {
            if (!args.isEmpty() && args.get(0) instanceof Number seed) {
                return new Random(seed.longValue()).nextDouble();
            }
            return ThreadLocalRandom.current().nextDouble();
        }, null));
        functions.put("uuid", Jsonata.function("uuid", (Jsonata.FnVarArgs<Object>) args -> UUID.randomUUID().toString(),
                null));
        functions.put("parse", Jsonata.function("parse", (Jsonata.FnVarArgs<Object>) args -> {
            if (args.isEmpty() || !(args.get(0) instanceof String text)) {
                throw queryError("$parse: the argument must be a JSON string");
            }
            try {
                return toJava(dev.deckhand.statemachine.Json.MAPPER.readTree(text));
            } catch (java.io.IOException e) {
                throw queryError("$parse: the argument is not valid JSON");
            }
        }, null));
        // $now() and $millis() read the engine clock's time, set for the evaluating thread.
        functions.put("millis", Jsonata.function("millis", (Jsonata.FnVarArgs<Object>) args -> NOW_MILLIS.get(), null));
        functions.put("now", Jsonata.function("now", (Jsonata.FnVarArgs<Object>) args -> Functions.dateTimeFromMillis(
                NOW_MILLIS.get(), args.size() > 0 ? (String) args.get(0) : null,
                args.size() > 1 ? (String) args.get(1) : null), null));
        return Map.copyOf(functions);
    }


    private static StatesError queryError(String message) {
        return new StatesError(StatesError.QUERY_EVALUATION_ERROR, message);
    }

    private static List<?> asList(List<?> args, int index, String function) {
        if (args.size() <= index || !(args.get(index) instanceof List<?> list)) {
            throw queryError(function + ": argument " + (index + 1) + " must be an array");
        }
        return list;
    }

    private static int asInt(List<?> args, int index, String function) {
        double value = asNumber(args, index, function);
        if (value != Math.rint(value)) {
            throw queryError(function + ": argument " + (index + 1) + " must be an integer");
        }
        return (int) value;
    }

    private static double asNumber(List<?> args, int index, String function) {
        if (args.size() <= index || !(args.get(index) instanceof Number number)) {
            throw queryError(function + ": argument " + (index + 1) + " must be a number");
        }
        return number.doubleValue();
    }

    /** JSON tree to the plain Java values dashjoin JSONata works on (JSON null is {@code NULL_VALUE}). */
    static Object toJava(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return null;
        }
        if (node.isNull()) {
            return Jsonata.NULL_VALUE;
        }
        if (node.isObject()) {
            return new LazyObject((ObjectNode) node);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(toJava(item)));
            return list;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.asLong() : (Object) node.asDouble();
        }
        return node.asDouble();
    }

    /**
     * A JSON object as the map JSONata navigates, converting a member only when it is read: an
     * expression such as {@code $states.input.n} then costs what it reads, not the whole input,
     * context and variables. Read-only, like every JSONata input.
     */
    private static final class LazyObject extends java.util.AbstractMap<String, Object> {
        private final ObjectNode node;
        private Map<String, Object> converted;
        private Set<Map.Entry<String, Object>> entries;

        LazyObject(ObjectNode node) {
            this.node = node;
        }

        @Override
        public Object get(Object key) {
            if (!(key instanceof String name)) {
                return null;
            }
            if (converted == null) {
                converted = new HashMap<>();
            }
            Object value = converted.get(name);
            if (value == null && !converted.containsKey(name)) {
                JsonNode member = node.get(name);
                value = member == null ? null : toJava(member);
                converted.put(name, value);
            }
            return value;
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String name && node.has(name);
        }

        @Override
        public int size() {
            return node.size();
        }

        @Override
        public Set<Map.Entry<String, Object>> entrySet() {
            if (entries == null) {
                Map<String, Object> all = new LinkedHashMap<>();
                node.properties().forEach(entry -> all.put(entry.getKey(), get(entry.getKey())));
                entries = java.util.Collections.unmodifiableMap(all).entrySet();
            }
            return entries;
        }
    }

    /** A JSONata result back to JSON; undefined becomes a {@link MissingNode}. */
    static JsonNode toJson(Object value) {
        if (value == null) {
            return MissingNode.getInstance();
        }
        if (value == Jsonata.NULL_VALUE) {
            return NODES.nullNode();
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((key, item) -> {
                JsonNode converted = toJson(item);
                if (!converted.isMissingNode()) {
                    object.set(String.valueOf(key), converted);
                }
            });
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(item -> {
                JsonNode converted = toJson(item);
                if (!converted.isMissingNode()) {
                    array.add(converted);
                }
            });
            return array;
        }
        if (value instanceof String text) {
            return NODES.textNode(text);
        }
        if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        if (value instanceof BigInteger big) {
            return NODES.numberNode(big);
        }
        if (value instanceof BigDecimal decimal) {
            return NODES.numberNode(decimal);
        }
        if (value instanceof Number number) {
            double d = number.doubleValue();
            if (number instanceof Double || number instanceof Float) {
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw queryError("The JSONata expression returned a number JSON cannot represent: " + d);
                }
                // JSONata numbers are doubles; integral values print without a fraction, as in JavaScript.
                if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
                    return NODES.numberNode((long) d);
                }
                return NODES.numberNode(d);
            }
            return NODES.numberNode(number.longValue());
        }
        throw queryError("The JSONata expression returned a value that is not JSON (a function?)");
    }
}
