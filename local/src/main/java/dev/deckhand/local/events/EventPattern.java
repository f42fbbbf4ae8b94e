package dev.deckhand.local.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * An EventBridge event pattern, matched with AWS's content-filtering semantics.
 *
 * <p>Fields of a pattern are ANDed; the values listed for a field are ORed; nested objects match
 * nested objects; an array in the event matches when any of its elements does. Leaf values are
 * exact values (string, number, boolean, null) or the operators {@code prefix}, {@code suffix},
 * {@code anything-but}, {@code numeric}, {@code exists}, {@code equals-ignore-case},
 * {@code wildcard}, {@code cidr}, and a {@code $or} of sub-patterns — as documented in
 * "Creating event patterns" and "Content filtering in Amazon EventBridge event patterns"
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html).
 */
public final class EventPattern {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final Fields root;

    private EventPattern(String source, Fields root) {
        this.source = source;
        this.root = root;
    }

    /**
     * Parses and validates a pattern.
     *
     * @throws InvalidEventPatternException when EventBridge would reject the pattern
     */
    public static EventPattern parse(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidEventPatternException("Not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidEventPatternException("The pattern must be a JSON object");
        }
        return new EventPattern(json, Fields.parse(node, ""));
    }

    /** Whether the event (the full envelope, as EventBridge delivers it) matches this pattern. */
    public boolean matches(JsonNode event) {
        return root.matches(event);
    }

    /** The pattern exactly as it was given. */
    public String json() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }

    /** The fields of one object level of a pattern, ANDed, plus its {@code $or} alternatives. */
    private record Fields(Map<String, Predicate<JsonNode>> fields, List<List<Fields>> alternatives) {

        static Fields parse(JsonNode object, String path) {
            Map<String, Predicate<JsonNode>> fields = new LinkedHashMap<>();
            List<List<Fields>> alternatives = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = object.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = field.getKey();
                JsonNode value = field.getValue();
                String where = path.isEmpty() ? name : path + "." + name;
                if (name.equals("$or")) {
                    alternatives.add(parseOr(value, where));
                } else if (value.isObject()) {
                    Fields nested = parse(value, where);
                    fields.put(name, nested::matchesValue);
                } else if (value.isArray()) {
                    fields.put(name, Leaf.parse(value, where));
                } else {
                    throw new InvalidEventPatternException(
                            "\"" + where + "\" must be an object or an array");
                }
            }
            return new Fields(fields, alternatives);
        }

        private static List<Fields> parseOr(JsonNode value, String where) {
            // "$or" takes an array of at least two sub-patterns (the user guide's "Or matching").
            if (!value.isArray() || value.size() < 2) {
                throw new InvalidEventPatternException(
                        "\"" + where + "\" must be an array of at least two objects");
            }
            List<Fields> options = new ArrayList<>();
            for (JsonNode option : value) {
                if (!option.isObject()) {
                    throw new InvalidEventPatternException("\"" + where + "\" may only contain objects");
                }
                options.add(parse(option, where));
            }
            return options;
        }

        boolean matches(JsonNode object) {
            for (Map.Entry<String, Predicate<JsonNode>> field : fields.entrySet()) {
                JsonNode value = object.isObject() ? object.path(field.getKey()) : MissingNode.getInstance();
                if (!field.getValue().test(value)) {
                    return false;
                }
            }
            for (List<Fields> options : alternatives) {
                if (options.stream().noneMatch(option -> option.matches(object))) {
                    return false;
                }
            }
            return true;
        }

        /** A nested pattern object matches an object, or any object in an array. */
        boolean matchesValue(JsonNode value) {
            if (value.isArray()) {
                for (JsonNode element : value) {
                    if (element.isObject() && matches(element)) {
                        return true;
                    }
                }
                return false;
            }
            return matches(value.isObject() ? value : MissingNode.getInstance());
        }
    }

    /** The array of allowed values of one leaf field: matches when any of them does. */
    private record Leaf(List<ValueMatcher> valueMatchers, List<Boolean> exists) implements Predicate<JsonNode> {

        static Leaf parse(JsonNode array, String where) {
            List<ValueMatcher> matchers = new ArrayList<>();
            List<Boolean> exists = new ArrayList<>();
            for (JsonNode element : array) {
                if (element.isObject()) {
                    if (element.size() != 1) {
                        throw new InvalidEventPatternException(
                                "Only one operator is allowed per object in \"" + where + "\"");
                    }
                    String operator = element.fieldNames().next();
                    JsonNode operand = element.get(operator);
                    if (operator.equals("exists")) {
                        if (!operand.isBoolean()) {
                            throw new InvalidEventPatternException("exists match pattern must be either true or false.");
                        }
                        exists.add(operand.booleanValue());
                    } else {
                        matchers.add(Operators.parse(operator, operand, where));
                    }
                } else if (element.isArray()) {
                    throw new InvalidEventPatternException("Match value in \"" + where + "\" must not be an array");
                } else {
                    matchers.add(new Exact(element));
                }
            }
            return new Leaf(matchers, exists);
        }

        @Override
        public boolean test(JsonNode value) {
            List<JsonNode> scalars = new ArrayList<>();
            collectScalars(value, scalars);
            // "exists" only works on leaf nodes (user guide, "Exists matching").
            boolean present = !value.isMissingNode() && !value.isObject()
                    && !(value.isArray() && scalars.isEmpty() && hasObjects(value));
            for (boolean wanted : exists) {
                if (wanted == present) {
                    return true;
                }
            }
            for (JsonNode scalar : scalars) {
                for (ValueMatcher matcher : valueMatchers) {
                    if (matcher.matches(scalar)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static void collectScalars(JsonNode value, List<JsonNode> into) {
            if (value.isArray()) {
                value.forEach(element -> collectScalars(element, into));
            } else if (value.isValueNode()) {
                into.add(value);
            }
        }

        private static boolean hasObjects(JsonNode array) {
            for (JsonNode element : array) {
                if (element.isContainerNode()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A test on one scalar value of the event. */
    private interface ValueMatcher {
        boolean matches(JsonNode scalar);
    }

    /** An exact value: strings are case-sensitive, numbers compare as numbers. */
    private record Exact(JsonNode expected) implements ValueMatcher {
        @Override
        public boolean matches(JsonNode actual) {
            if (expected.isNumber() && actual.isNumber()) {
                return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
            }
            if (expected.isTextual() || actual.isTextual()) {
                return expected.isTextual() && actual.isTextual() && expected.textValue().equals(actual.textValue());
            }
            return expected.equals(actual);
        }
    }

    /** The operators that go inside {@code {"operator": operand}}. */
    private static final class Operators {

        static ValueMatcher parse(String operator, JsonNode operand, String where) {
            return switch (operator) {
                case "prefix" -> affix(operand, where, "prefix", String::startsWith);
                case "suffix" -> affix(operand, where, "suffix", String::endsWith);
                case "equals-ignore-case" -> {
                    String expected = text(operand, where, operator);
                    yield actual -> actual.isTextual() && actual.textValue().equalsIgnoreCase(expected);
                }
                case "wildcard" -> wildcard(text(operand, where, operator), where);
                case "numeric" -> numeric(operand, where);
                case "cidr" -> cidr(text(operand, where, operator), where);
                case "anything-but" -> anythingBut(operand, where);
                default -> throw new InvalidEventPatternException(
                        "Unrecognized match type " + operator + " in \"" + where + "\"");
            };
        }

        private interface Affix {
            boolean test(String value, String affix);
        }

        /** prefix/suffix take a string, or {"equals-ignore-case": string}. */
        private static ValueMatcher affix(JsonNode operand, String where, String operator, Affix affix) {
            if (operand.isObject() && operand.size() == 1 && operand.has("equals-ignore-case")) {
                String expected = text(operand.get("equals-ignore-case"), where, operator).toLowerCase(Locale.ROOT);
                return actual -> actual.isTextual() && affix.test(actual.textValue().toLowerCase(Locale.ROOT), expected);
            }
            String expected = text(operand, where, operator);
            return actual -> actual.isTextual() && affix.test(actual.textValue(), expected);
        }

        private static ValueMatcher anythingBut(JsonNode operand, String where) {
            if (operand.isObject()) {
                if (operand.size() != 1) {
                    throw new InvalidEventPatternException("anything-but takes one operator in \"" + where + "\"");
                }
                String operator = operand.fieldNames().next();
                JsonNode inner = operand.get(operator);
                if (!List.of("prefix", "suffix", "equals-ignore-case", "wildcard").contains(operator)) {
                    throw new InvalidEventPatternException(
                            "Unsupported anything-but pattern: " + operator + " in \"" + where + "\"");
                }
                // Each inner operator may take one string or a list of strings.
                List<ValueMatcher> excluded = new ArrayList<>();
                if (inner.isArray()) {
                    for (JsonNode each : inner) {
                        excluded.add(parse(operator, each, where));
                    }
                } else {
                    excluded.add(parse(operator, inner, where));
                }
                // anything-but prefix/suffix/wildcard/equals-ignore-case only consider strings.
                return actual -> actual.isTextual() && excluded.stream().noneMatch(m -> m.matches(actual));
            }
            List<ValueMatcher> excluded = new ArrayList<>();
            if (operand.isArray()) {
                boolean strings = false;
                boolean numbers = false;
                for (JsonNode each : operand) {
                    strings |= each.isTextual();
                    numbers |= each.isNumber();
                    if (!each.isTextual() && !each.isNumber()) {
                        throw new InvalidEventPatternException(
                                "Inside anything-but list, only strings or numbers are allowed in \"" + where + "\"");
                    }
                    excluded.add(new Exact(each));
                }
                if (strings && numbers) {
                    throw new InvalidEventPatternException(
                            "Inside anything-but list, mixed types are not allowed in \"" + where + "\"");
                }
            } else if (operand.isTextual() || operand.isNumber()) {
                excluded.add(new Exact(operand));
            } else {
                throw new InvalidEventPatternException(
                        "anything-but takes a string, a number, a list or an object in \"" + where + "\"");
            }
            return actual -> excluded.stream().noneMatch(m -> m.matches(actual));
        }

        /** {"numeric": [op, n]} or {"numeric": [op, n, op, n]} with op one of < <= = > >=. */
        private static ValueMatcher numeric(JsonNode operand, String where) {
            if (!operand.isArray() || operand.isEmpty() || operand.size() % 2 != 0 || operand.size() > 4) {
                throw new InvalidEventPatternException(
                        "numeric takes one or two [operator, number] pairs in \"" + where + "\"");
            }
            List<Predicate<BigDecimal>> bounds = new ArrayList<>();
            for (int i = 0; i < operand.size(); i += 2) {
                JsonNode op = operand.get(i);
                JsonNode number = operand.get(i + 1);
                if (!op.isTextual() || !number.isNumber()) {
                    throw new InvalidEventPatternException(
                            "numeric takes [operator, number] pairs in \"" + where + "\"");
                }
                BigDecimal limit = number.decimalValue();
                bounds.add(switch (op.textValue()) {
                    case "<" -> v -> v.compareTo(limit) < 0;
                    case "<=" -> v -> v.compareTo(limit) <= 0;
                    case "=" -> v -> v.compareTo(limit) == 0;
                    case ">" -> v -> v.compareTo(limit) > 0;
                    case ">=" -> v -> v.compareTo(limit) >= 0;
                    default -> throw new InvalidEventPatternException(
                            "Unrecognized numeric range operator: " + op.textValue() + " in \"" + where + "\"");
                });
            }
            return actual -> actual.isNumber() && bounds.stream().allMatch(b -> b.test(actual.decimalValue()));
        }

        /** '*' matches any run of characters; "\*" is a literal star; "**" is refused. */
        private static ValueMatcher wildcard(String expression, String where) {
            if (expression.contains("**")) {
                throw new InvalidEventPatternException(
                        "Consecutive wildcard characters are not allowed in \"" + where + "\"");
            }
            StringBuilder regex = new StringBuilder();
            StringBuilder literal = new StringBuilder();
            for (int i = 0; i < expression.length(); i++) {
                char c = expression.charAt(i);
                if (c == '\\' && i + 1 < expression.length()
                        && (expression.charAt(i + 1) == '*' || expression.charAt(i + 1) == '\\')) {
                    literal.append(expression.charAt(++i));
                } else if (c == '*') {
                    regex.append(Pattern.quote(literal.toString())).append(".*");
                    literal.setLength(0);
                } else {
                    literal.append(c);
                }
            }
            regex.append(Pattern.quote(literal.toString()));
            Pattern compiled = Pattern.compile(regex.toString(), Pattern.DOTALL);
            return actual -> actual.isTextual() && compiled.matcher(actual.textValue()).matches();
        }

        private static ValueMatcher cidr(String block, String where) {
            int slash = block.indexOf('/');
            byte[] network = slash > 0 ? ipLiteral(block.substring(0, slash)) : null;
            int bits;
            try {
                bits = slash > 0 ? Integer.parseInt(block.substring(slash + 1)) : -1;
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (network == null || bits < 0 || bits > network.length * 8) {
                throw new InvalidEventPatternException("Malformed CIDR, one '/' required in \"" + where + "\": " + block);
            }
            int prefixBits = bits;
            return actual -> {
                byte[] address = actual.isTextual() ? ipLiteral(actual.textValue()) : null;
                return address != null && address.length == network.length && samePrefix(address, network, prefixBits);
            };
        }

        private static boolean samePrefix(byte[] a, byte[] b, int bits) {
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
        private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

        /** The address bytes of an IP literal, or null; never a DNS lookup. */
        private static byte[] ipLiteral(String text) {
            var v4 = IPV4.matcher(text);
            if (v4.matches()) {
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int part = Integer.parseInt(v4.group(i + 1));
                    if (part > 255) {
                        return null;
                    }
                    bytes[i] = (byte) part;
                }
                return bytes;
            }
            if (text.contains(":") && IPV6.matcher(text).matches()) {
                try {
                    // A literal containing ':' is parsed, not resolved (InetAddress#getByName).
                    return InetAddress.getByName(text).getAddress();
                } catch (UnknownHostException e) {
                    return null;
                }
            }
            return null;
        }

        private static String text(JsonNode operand, String where, String operator) {
            if (!operand.isTextual()) {
                throw new InvalidEventPatternException(operator + " match pattern must be a string in \"" + where + "\"");
            }
            return operand.textValue();
        }

        private Operators() {
        }
    }
}
