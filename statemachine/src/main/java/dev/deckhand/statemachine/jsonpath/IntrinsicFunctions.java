package dev.deckhand.statemachine.jsonpath;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.statemachine.Json;
import dev.deckhand.statemachine.StatesError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The intrinsic functions of the JSONPath query language, with the error names AWS documents
 * (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html): a malformed call
 * or an argument of the wrong type is {@code States.IntrinsicFailure}.
 */
public final class IntrinsicFunctions {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> HASH_ALGORITHMS = List.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");

    private IntrinsicFunctions() {
    }

    /** Evaluates an intrinsic function call such as {@code States.Format('Hi {}', $.name)}. */
    public static JsonNode evaluate(String expression, PathScope scope) {
        Parser parser = new Parser(expression, scope);
        JsonNode value = parser.call();
        parser.skipSpaces();
        if (!parser.atEnd()) {
            throw failure("Unexpected text after the intrinsic function in '" + expression + "'");
        }
        return value;
    }

    private static StatesError failure(String cause) {
        return new StatesError(StatesError.INTRINSIC_FAILURE, cause);
    }

    private static JsonNode apply(String name, List<JsonNode> args) {
        return switch (name) {
            case "States.Format" -> format(args);
            case "States.StringToJson" -> stringToJson(args);
            case "States.JsonToString" -> NODES.textNode(Json.write(arity(name, args, 1).get(0)));
            case "States.Array" -> {
                ArrayNode array = NODES.arrayNode();
                args.forEach(array::add);
                yield array;
            }
            case "States.ArrayPartition" -> partition(args);
            case "States.ArrayContains" -> {
                ArrayNode array = array(name, arity(name, args, 2).get(0));
                boolean found = false;
                for (JsonNode item : array) {
                    // A literal 3 is a long, an input's 3 an int: numbers compare by value, at any depth.
                    found |= item.equals(NUMBERS_BY_VALUE, args.get(1));
                }
                yield NODES.booleanNode(found);
            }
            case "States.ArrayRange" -> range(args);
            case "States.ArrayGetItem" -> {
                ArrayNode array = array(name, arity(name, args, 2).get(0));
                int index = integer(name, args.get(1));
                if (index < 0 || index >= array.size()) {
                    throw failure("States.ArrayGetItem: index " + index + " is out of bounds");
                }
                yield array.get(index);
            }
            case "States.ArrayLength" -> NODES.numberNode(array(name, arity(name, args, 1).get(0)).size());
            case "States.ArrayUnique" -> {
                ArrayNode unique = NODES.arrayNode();
                new LinkedHashSet<JsonNode>(toList(array(name, arity(name, args, 1).get(0)))).forEach(unique::add);
                yield unique;
            }
            case "States.Base64Encode" -> NODES.textNode(Base64.getEncoder()
                    .encodeToString(string(name, arity(name, args, 1).get(0)).getBytes(StandardCharsets.UTF_8)));
            case "States.Base64Decode" -> {
                try {
                    yield NODES.textNode(new String(Base64.getDecoder().decode(string(name, arity(name, args, 1).get(0))),
                            StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw failure("States.Base64Decode: the argument is not valid Base64");
                }
            }
            case "States.Hash" -> hash(args);
            case "States.JsonMerge" -> merge(args);
            case "States.MathRandom" -> random(args);
            case "States.MathAdd" -> NODES.numberNode(rounded(name, arity(name, args, 2).get(0))
                    + rounded(name, args.get(1)));
            case "States.StringSplit" -> split(args);
            case "States.UUID" -> {
                arity(name, args, 0);
                yield NODES.textNode(UUID.randomUUID().toString());
            }
            default -> throw failure("Unknown intrinsic function " + name);
        };
    }

    private static JsonNode format(List<JsonNode> args) {
        if (args.isEmpty()) {
            throw failure("States.Format needs a template");
        }
        String template = string("States.Format", args.get(0));
        StringBuilder out = new StringBuilder();
        int next = 1;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '\\' && i + 1 < template.length()) {
                out.append(template.charAt(++i));
            } else if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                if (next >= args.size()) {
                    throw failure("States.Format: the template has more {} than arguments");
                }
                appendFormatted(out, args.get(next++));
                i++;
            } else {
                out.append(c);
            }
        }
        if (next != args.size()) {
            throw failure("States.Format: the template has fewer {} than arguments");
        }
        return NODES.textNode(out.toString());
    }

    /**
     * How AWS renders a States.Format argument: strings without quotes, and objects and arrays the way
     * Java prints maps and lists, e.g. {@code {Arg1=1, Arg2=[]}} (observed on AWS; issue 19).
     */
    private static void appendFormatted(StringBuilder out, JsonNode value) {
        if (value.isTextual()) {
            out.append(value.asText());
        } else if (value.isObject()) {
            out.append('{');
            boolean first = true;
            for (java.util.Map.Entry<String, JsonNode> entry : value.properties()) {
                out.append(first ? "" : ", ").append(entry.getKey()).append('=');
                appendFormatted(out, entry.getValue());
                first = false;
            }
            out.append('}');
        } else if (value.isArray()) {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                out.append(i == 0 ? "" : ", ");
                appendFormatted(out, value.get(i));
            }
            out.append(']');
        } else {
            out.append(value.toString());
        }
    }

    private static JsonNode stringToJson(List<JsonNode> args) {
        String text = string("States.StringToJson", arity("States.StringToJson", args, 1).get(0));
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw failure("States.StringToJson: the argument is not valid JSON");
        }
    }

    private static JsonNode partition(List<JsonNode> args) {
        ArrayNode array = array("States.ArrayPartition", arity("States.ArrayPartition", args, 2).get(0));
        int size = integer("States.ArrayPartition", args.get(1));
        if (size <= 0) {
            throw failure("States.ArrayPartition: the chunk size must be positive");
        }
        ArrayNode chunks = NODES.arrayNode();
        ArrayNode chunk = null;
        for (int i = 0; i < array.size(); i++) {
            if (i % size == 0) {
                chunk = chunks.addArray();
            }
            chunk.add(array.get(i));
        }
        return chunks;
    }

    private static JsonNode range(List<JsonNode> args) {
        arity("States.ArrayRange", args, 3);
        int start = integer("States.ArrayRange", args.get(0));
        int end = integer("States.ArrayRange", args.get(1));
        int step = integer("States.ArrayRange", args.get(2));
        if (step == 0) {
            throw failure("States.ArrayRange: the step must not be 0");
        }
        ArrayNode values = NODES.arrayNode();
        for (long value = start; step > 0 ? value <= end : value >= end; value += step) {
            values.add(value);
            if (values.size() > 1000) {
                // intrinsic-functions.html: "The array can contain up to 1000 items."
                throw failure("States.ArrayRange: the result would have more than 1000 items");
            }
        }
        return values;
    }

    private static JsonNode hash(List<JsonNode> args) {
        arity("States.Hash", args, 2);
        String data = args.get(0).isTextual() ? args.get(0).asText() : Json.write(args.get(0));
        String algorithm = string("States.Hash", args.get(1));
        if (!HASH_ALGORITHMS.contains(algorithm)) {
            throw failure("States.Hash: the algorithm must be one of " + HASH_ALGORITHMS);
        }
        try {
            return NODES.textNode(HexFormat.of().formatHex(
                    MessageDigest.getInstance(algorithm).digest(data.getBytes(StandardCharsets.UTF_8))));
        } catch (NoSuchAlgorithmException e) {
            throw failure("States.Hash: the JVM lacks " + algorithm);
        }
    }

    private static JsonNode merge(List<JsonNode> args) {
        arity("States.JsonMerge", args, 3);
        if (!args.get(0).isObject() || !args.get(1).isObject()) {
            throw failure("States.JsonMerge: the first two arguments must be objects");
        }
        if (!args.get(2).isBoolean() || args.get(2).asBoolean()) {
            // intrinsic-functions.html: only the shallow merge (false) is supported.
            throw failure("States.JsonMerge: the third argument must be false (deep merge is not supported)");
        }
        ObjectNode merged = args.get(0).deepCopy();
        merged.setAll((ObjectNode) args.get(1).deepCopy());
        return merged;
    }

    private static JsonNode random(List<JsonNode> args) {
        if (args.size() != 2 && args.size() != 3) {
            throw failure("States.MathRandom takes a start, an end and an optional seed");
        }
        int start = integer("States.MathRandom", args.get(0));
        int end = integer("States.MathRandom", args.get(1));
        if (end <= start) {
            throw failure("States.MathRandom: the end must be greater than the start");
        }
        Random random = args.size() == 3 ? new Random(integer("States.MathRandom", args.get(2)))
                : ThreadLocalRandom.current();
        return NODES.numberNode(start + random.nextInt(end - start));
    }

    private static JsonNode split(List<JsonNode> args) {
        arity("States.StringSplit", args, 2);
        String text = string("States.StringSplit", args.get(0));
        String delimiters = string("States.StringSplit", args.get(1));
        ArrayNode parts = NODES.arrayNode();
        StringBuilder current = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (delimiters.indexOf(c) >= 0) {
                if (current.length() > 0) {
                    parts.add(current.toString());
                }
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            parts.add(current.toString());
        }
        return parts;
    }

    private static List<JsonNode> arity(String name, List<JsonNode> args, int count) {
        if (args.size() != count) {
            throw failure(name + " takes " + count + " argument(s), got " + args.size());
        }
        return args;
    }

    private static ArrayNode array(String name, JsonNode value) {
        if (!value.isArray()) {
            throw failure(name + ": expected an array, got " + value);
        }
        return (ArrayNode) value;
    }

    private static String string(String name, JsonNode value) {
        if (!value.isTextual()) {
            throw failure(name + ": expected a string, got " + value);
        }
        return value.asText();
    }

    private static int integer(String name, JsonNode value) {
        if (!value.isNumber() || value.asDouble() != Math.rint(value.asDouble())) {
            throw failure(name + ": expected an integer, got " + value);
        }
        return value.asInt();
    }

    /**
     * A number argument of States.MathAdd, rounded to an integer the way Java's Math.round does (half
     * up): AWS accepts non-integer arguments and rounds each of them (observed on AWS; issue 19).
     */
    private static long rounded(String name, JsonNode value) {
        if (!value.isNumber()) {
            throw failure(name + ": expected a number, got " + value);
        }
        return Math.round(value.asDouble());
    }

    private static final java.util.Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private static List<JsonNode> toList(ArrayNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    /** A recursive-descent reader of one call; arguments are literals, paths or nested calls. */
    private static final class Parser {
        private final String text;
        private final PathScope scope;
        private int position;

        Parser(String text, PathScope scope) {
            this.text = text;
            this.scope = scope;
        }

        JsonNode call() {
            skipSpaces();
            int start = position;
            while (position < text.length() && (Character.isLetterOrDigit(peek()) || peek() == '.')) {
                position++;
            }
            String name = text.substring(start, position);
            skipSpaces();
            if (!name.startsWith("States.") || atEnd() || peek() != '(') {
                throw failure("'" + text + "' is not a valid intrinsic function call");
            }
            position++;
            List<JsonNode> args = new ArrayList<>();
            skipSpaces();
            if (!atEnd() && peek() == ')') {
                position++;
                return apply(name, args);
            }
            while (true) {
                args.add(argument());
                skipSpaces();
                if (atEnd()) {
                    throw failure("Missing ')' in '" + text + "'");
                }
                char c = text.charAt(position++);
                if (c == ')') {
                    return apply(name, args);
                }
                if (c != ',') {
                    throw failure("Expected ',' or ')' at position " + (position - 1) + " of '" + text + "'");
                }
            }
        }

        private JsonNode argument() {
            skipSpaces();
            if (atEnd()) {
                throw failure("Missing argument in '" + text + "'");
            }
            char c = peek();
            if (c == '\'') {
                return NODES.textNode(quoted());
            }
            if (c == '$') {
                String path = pathToken();
                return JsonPaths.read(path, scope, "intrinsic function argument");
            }
            if (text.startsWith("States.", position)) {
                return call();
            }
            String token = bareToken();
            switch (token) {
                case "true":
                    return NODES.booleanNode(true);
                case "false":
                    return NODES.booleanNode(false);
                case "null":
                    return NODES.nullNode();
                default:
                    try {
                        return token.contains(".") || token.contains("e") || token.contains("E")
                                ? NODES.numberNode(Double.parseDouble(token))
                                : NODES.numberNode(Long.parseLong(token));
                    } catch (NumberFormatException e) {
                        throw failure("'" + token + "' is not a valid argument in '" + text + "'");
                    }
            }
        }

        private String quoted() {
            StringBuilder out = new StringBuilder();
            position++;
            while (!atEnd()) {
                char c = text.charAt(position++);
                if (c == '\\' && !atEnd()) {
                    char escaped = text.charAt(position++);
                    // Keep \{ and \} escaped for States.Format; unescape quotes and backslashes.
                    if (escaped == '{' || escaped == '}') {
                        out.append('\\');
                    }
                    out.append(escaped);
                } else if (c == '\'') {
                    return out.toString();
                } else {
                    out.append(c);
                }
            }
            throw failure("Unterminated string in '" + text + "'");
        }

        private String pathToken() {
            int start = position;
            int depth = 0;
            while (!atEnd()) {
                char c = peek();
                if (c == '[' || c == '(') {
                    depth++;
                } else if (c == ']' || c == ')') {
                    if (depth == 0) {
                        break;
                    }
                    depth--;
                } else if (c == ',' && depth == 0) {
                    break;
                }
                position++;
            }
            return text.substring(start, position).trim();
        }

        private String bareToken() {
            int start = position;
            while (!atEnd() && peek() != ',' && peek() != ')') {
                position++;
            }
            return text.substring(start, position).trim();
        }

        void skipSpaces() {
            while (!atEnd() && Character.isWhitespace(peek())) {
                position++;
            }
        }

        boolean atEnd() {
            return position >= text.length();
        }

        private char peek() {
            return text.charAt(position);
        }
    }
}
