package dev.deckhand.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An identity-based IAM policy the local evaluator understands: {@code Statement}s with
 * {@code Effect}, {@code Action}, {@code Resource} and {@code Condition} (the operators of
 * {@link PolicyEvaluator}). Anything else (NotAction, NotResource, Principal, an unknown
 * operator) is refused when the policy is read, so a policy is never half understood.
 */
public record PolicyDocument(List<PolicyStatement> statements) {

    /** The condition operators evaluated (IAM User Guide, reference_policies_elements_condition_operators). */
    public static final Set<String> OPERATORS = Set.of("StringEquals", "StringLike", "ArnEquals", "ArnLike");

    public PolicyDocument {
        statements = List.copyOf(statements);
    }

    /** One statement; conditions are {@code operator → key → values}. */
    public record PolicyStatement(boolean allow, List<String> actions, List<String> resources,
            Map<String, Map<String, List<String>>> conditions) {

        public PolicyStatement {
            actions = List.copyOf(actions);
            resources = List.copyOf(resources);
            conditions = Map.copyOf(conditions);
        }
    }

    /**
     * Reads a policy document.
     *
     * @throws InvalidPolicyException naming what is not understood
     */
    public static PolicyDocument parse(JsonNode document) {
        JsonNode statements = document.path("Statement");
        if (!statements.isArray() && !statements.isObject()) {
            throw new InvalidPolicyException("the policy has no Statement");
        }
        List<PolicyStatement> parsed = new ArrayList<>();
        for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
            statement.fieldNames().forEachRemaining(field -> {
                if (!Set.of("Sid", "Effect", "Action", "Resource", "Condition").contains(field)) {
                    throw new InvalidPolicyException("statement element " + field + " is not evaluated locally");
                }
            });
            String effect = statement.path("Effect").asText();
            if (!effect.equals("Allow") && !effect.equals("Deny")) {
                throw new InvalidPolicyException("Effect must be Allow or Deny, not '" + effect + "'");
            }
            List<String> actions = strings(statement.get("Action"), "Action");
            List<String> resources = strings(statement.get("Resource"), "Resource");
            Map<String, Map<String, List<String>>> conditions = new LinkedHashMap<>();
            JsonNode condition = statement.path("Condition");
            condition.fields().forEachRemaining(operator -> {
                if (!OPERATORS.contains(operator.getKey())) {
                    throw new InvalidPolicyException("condition operator " + operator.getKey() + " is not evaluated locally");
                }
                Map<String, List<String>> keys = new LinkedHashMap<>();
                operator.getValue().fields().forEachRemaining(key ->
                        keys.put(key.getKey(), strings(key.getValue(), operator.getKey() + "/" + key.getKey())));
                conditions.put(operator.getKey(), keys);
            });
            parsed.add(new PolicyStatement(effect.equals("Allow"), actions, resources, conditions));
        }
        return new PolicyDocument(parsed);
    }

    private static List<String> strings(JsonNode node, String element) {
        List<String> values = new ArrayList<>();
        if (node != null && node.isTextual()) {
            values.add(node.asText());
        } else if (node != null && node.isArray()) {
            node.forEach(value -> {
                if (!value.isTextual()) {
                    throw new InvalidPolicyException(element + " holds a non-string value " + value);
                }
                values.add(value.asText());
            });
        }
        if (values.isEmpty()) {
            throw new InvalidPolicyException(element + " must be a string or a non-empty list of strings");
        }
        return values;
    }
}
