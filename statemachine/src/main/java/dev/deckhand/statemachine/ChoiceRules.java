package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.statemachine.jsonpath.JsonPaths;
import dev.deckhand.statemachine.jsonpath.PathScope;
import java.time.Instant;
import java.util.Iterator;

/**
 * JSONPath Choice rules (https://states-language.net/spec.html#choice-state): one comparison
 * operator applied to a Variable, or And/Or/Not of rules. A comparison whose value has the wrong
 * type is false, as the specification says; a Variable that does not exist is a States.Runtime
 * error except for IsPresent.
 */
final class ChoiceRules {

    private ChoiceRules() {
    }

    static boolean matches(JsonNode rule, PathScope scope) {
        if (rule.has("And")) {
            for (JsonNode inner : rule.get("And")) {
                if (!matches(inner, scope)) {
                    return false;
                }
            }
            return true;
        }
        if (rule.has("Or")) {
            for (JsonNode inner : rule.get("Or")) {
                if (matches(inner, scope)) {
                    return true;
                }
            }
            return false;
        }
        if (rule.has("Not")) {
            return !matches(rule.get("Not"), scope);
        }
        String variable = rule.get("Variable").asText();
        String operator = operator(rule);
        JsonNode operand = rule.get(operator);
        if (operator.equals("IsPresent")) {
            boolean present;
            try {
                JsonPaths.read(variable, scope, "Variable");
                present = true;
            } catch (StatesError e) {
                present = false;
            }
            return present == operand.asBoolean();
        }
        JsonNode value = JsonPaths.read(variable, scope, "Variable");
        if (operator.endsWith("Path")) {
            operand = JsonPaths.read(operand.asText(), scope, operator);
            operator = operator.substring(0, operator.length() - "Path".length());
        }
        return compare(operator, value, operand);
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

    private static boolean compare(String operator, JsonNode value, JsonNode operand) {
        switch (operator) {
            case "IsNull":
                return value.isNull() == operand.asBoolean();
            case "IsNumeric":
                return value.isNumber() == operand.asBoolean();
            case "IsString":
                return value.isTextual() == operand.asBoolean();
            case "IsBoolean":
                return value.isBoolean() == operand.asBoolean();
            case "IsTimestamp":
                return (value.isTextual() && Interpreter.parseTimestamp(value.asText()) != null) == operand.asBoolean();
            case "StringMatches":
                return value.isTextual() && operand.isTextual() && wildcard(value.asText(), operand.asText());
            case "BooleanEquals":
                return value.isBoolean() && operand.isBoolean() && value.asBoolean() == operand.asBoolean();
            default:
                break;
        }
        if (operator.startsWith("String")) {
            if (!value.isTextual() || !operand.isTextual()) {
                return false;
            }
            return order(operator.substring("String".length()), value.asText().compareTo(operand.asText()));
        }
        if (operator.startsWith("Numeric")) {
            if (!value.isNumber() || !operand.isNumber()) {
                return false;
            }
            return order(operator.substring("Numeric".length()), value.decimalValue().compareTo(operand.decimalValue()));
        }
        if (operator.startsWith("Timestamp")) {
            Instant left = value.isTextual() ? Interpreter.parseTimestamp(value.asText()) : null;
            Instant right = operand.isTextual() ? Interpreter.parseTimestamp(operand.asText()) : null;
            if (left == null || right == null) {
                return false;
            }
            return order(operator.substring("Timestamp".length()), left.compareTo(right));
        }
        throw new IllegalStateException("Unknown Choice operator " + operator);
    }

    private static boolean order(String relation, int comparison) {
        return switch (relation) {
            case "Equals" -> comparison == 0;
            case "LessThan" -> comparison < 0;
            case "GreaterThan" -> comparison > 0;
            case "LessThanEquals" -> comparison <= 0;
            case "GreaterThanEquals" -> comparison >= 0;
            default -> throw new IllegalStateException("Unknown comparison " + relation);
        };
    }

    /** StringMatches: {@code *} matches any run of characters, {@code \*} a literal star. */
    static boolean wildcard(String value, String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return value.matches(regex.toString());
    }
}
