package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.statemachine.jsonpath.JsonPaths;
import dev.deckhand.statemachine.jsonpath.PathScope;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * JSONPath Choice rules (https://states-language.net/spec.html#choice-state): one comparison
 * operator applied to a Variable, or And/Or/Not of rules, parsed once at definition load into a
 * {@link Comparison} tree. A comparison whose value has the wrong type is false, as the
 * specification says; a Variable that does not exist is a States.Runtime error except for
 * IsPresent.
 */
final class ChoiceRules {

    private ChoiceRules() {
    }

    /** A parsed rule: true when it matches in {@code scope}. */
    sealed interface Comparison {
        boolean matches(PathScope scope);
    }

    record And(List<Comparison> all) implements Comparison {
        @Override
        public boolean matches(PathScope scope) {
            for (Comparison inner : all) {
                if (!inner.matches(scope)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Or(List<Comparison> any) implements Comparison {
        @Override
        public boolean matches(PathScope scope) {
            for (Comparison inner : any) {
                if (inner.matches(scope)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Not(Comparison inner) implements Comparison {
        @Override
        public boolean matches(PathScope scope) {
            return !inner.matches(scope);
        }
    }

    /** IsPresent: the only test that does not fail on a missing Variable. */
    record IsPresent(String variable, boolean expected) implements Comparison {
        @Override
        public boolean matches(PathScope scope) {
            boolean present;
            try {
                JsonPaths.read(variable, scope, "Variable");
                present = true;
            } catch (StatesError e) {
                present = false;
            }
            return present == expected;
        }
    }

    /** IsNull, IsNumeric, IsString, IsBoolean, IsTimestamp. */
    record TypeTest(String variable, Predicate<JsonNode> test, boolean expected) implements Comparison {
        @Override
        public boolean matches(PathScope scope) {
            return test.test(JsonPaths.read(variable, scope, "Variable")) == expected;
        }
    }

    /** StringMatches against a pattern compiled once; null when the operand is not a string (never matches). */
    record Matches(String variable, Pattern pattern) implements Comparison {
        @Override
        public boolean matches(PathScope scope) {
            JsonNode value = JsonPaths.read(variable, scope, "Variable");
            return pattern != null && value.isTextual() && pattern.matcher(value.asText()).matches();
        }
    }

    /**
     * A String/Numeric/Boolean/Timestamp comparison: the operand is a literal converted once
     * ({@code literal}, null when of the wrong type) or read from {@code operandPath} (field
     * {@code pathField}) each time.
     */
    record Compare(String variable, Family family, Relation relation, Comparable<Object> literal, String operandPath,
                   String pathField) implements Comparison {
        @Override
        public boolean matches(PathScope scope) {
            Comparable<Object> left = family.typed(JsonPaths.read(variable, scope, "Variable"));
            Comparable<Object> right = operandPath == null ? literal
                    : family.typed(JsonPaths.read(operandPath, scope, pathField));
            return left != null && right != null && relation.holds(left.compareTo(right));
        }
    }

    /** The operand type of a comparison; a value of another type gives null (the comparison is false). */
    enum Family {
        STRING, NUMERIC, BOOLEAN, TIMESTAMP;

        @SuppressWarnings("unchecked")
        Comparable<Object> typed(JsonNode node) {
            Comparable<?> typed = switch (this) {
                case STRING -> node.isTextual() ? node.asText() : null;
                case NUMERIC -> node.isNumber() ? node.decimalValue() : null;
                case BOOLEAN -> node.isBoolean() ? Boolean.valueOf(node.asBoolean()) : null;
                case TIMESTAMP -> node.isTextual() ? Interpreter.parseTimestamp(node.asText()) : null;
            };
            return (Comparable<Object>) typed;
        }
    }

    enum Relation {
        EQUALS, LESS_THAN, GREATER_THAN, LESS_THAN_EQUALS, GREATER_THAN_EQUALS;

        boolean holds(int comparison) {
            return switch (this) {
                case EQUALS -> comparison == 0;
                case LESS_THAN -> comparison < 0;
                case GREATER_THAN -> comparison > 0;
                case LESS_THAN_EQUALS -> comparison <= 0;
                case GREATER_THAN_EQUALS -> comparison >= 0;
            };
        }
    }

    /**
     * Parses a rule that {@link DefinitionParser} has validated (a Variable and exactly one
     * comparison operator, or a non-empty And/Or, or a Not). And wins over Or, Or over Not, as
     * the rule was read before it was parsed.
     */
    static Comparison parse(JsonNode rule) {
        if (rule.has("And")) {
            return new And(parseAll(rule.get("And")));
        }
        if (rule.has("Or")) {
            return new Or(parseAll(rule.get("Or")));
        }
        if (rule.has("Not")) {
            return new Not(parse(rule.get("Not")));
        }
        String variable = rule.get("Variable").asText();
        String operator = operator(rule);
        JsonNode operand = rule.get(operator);
        switch (operator) {
            case "IsPresent":
                return new IsPresent(variable, operand.asBoolean());
            case "IsNull":
                return new TypeTest(variable, JsonNode::isNull, operand.asBoolean());
            case "IsNumeric":
                return new TypeTest(variable, JsonNode::isNumber, operand.asBoolean());
            case "IsString":
                return new TypeTest(variable, JsonNode::isTextual, operand.asBoolean());
            case "IsBoolean":
                return new TypeTest(variable, JsonNode::isBoolean, operand.asBoolean());
            case "IsTimestamp":
                return new TypeTest(variable, value -> value.isTextual() && Interpreter.parseTimestamp(value.asText()) != null,
                        operand.asBoolean());
            case "StringMatches":
                return new Matches(variable, operand.isTextual() ? wildcard(operand.asText()) : null);
            default:
                break;
        }
        boolean path = operator.endsWith("Path");
        String comparison = path ? operator.substring(0, operator.length() - "Path".length()) : operator;
        for (Family family : Family.values()) {
            String prefix = name(family.name());
            if (comparison.startsWith(prefix)) {
                Relation relation = Relation.valueOf(relationName(comparison.substring(prefix.length())));
                return path ? new Compare(variable, family, relation, null, operand.asText(), operator)
                        : new Compare(variable, family, relation, family.typed(operand), null, null);
            }
        }
        throw new IllegalStateException("Unknown Choice operator " + operator);
    }

    private static List<Comparison> parseAll(JsonNode rules) {
        List<Comparison> parsed = new ArrayList<>();
        rules.forEach(inner -> parsed.add(parse(inner)));
        return List.copyOf(parsed);
    }

    private static String operator(JsonNode rule) {
        Iterator<String> names = rule.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("Variable") && !name.equals("Next") && !name.equals("Assign") && !name.equals("Comment")) {
                return name;
            }
        }
        throw new IllegalStateException("Choice rule without an operator passed validation");
    }

    /** STRING -> String (the operator prefix). */
    private static String name(String constant) {
        return constant.charAt(0) + constant.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    /** LessThanEquals -> LESS_THAN_EQUALS. */
    private static String relationName(String relation) {
        return relation.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }

    /** StringMatches: {@code *} matches any run of characters, {@code \*} a literal star. */
    static Pattern wildcard(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
