package dev.deckhand.catalogue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Allow statement of an identity-based IAM policy, as plain data: the CDK app renders it into
 * a role's statement and the local cloud evaluates it. Conditions are
 * {@code operator → key → values} (several values of one key: any may match).
 */
public record Statement(List<String> actions, List<String> resources, Map<String, Map<String, List<String>>> conditions) {

    public Statement {
        if (actions.isEmpty() || resources.isEmpty()) {
            throw new IllegalArgumentException("a statement needs actions and resources: " + actions + " on " + resources);
        }
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        Map<String, Map<String, List<String>>> copy = new LinkedHashMap<>();
        conditions.forEach((operator, keys) -> {
            Map<String, List<String>> values = new LinkedHashMap<>();
            keys.forEach((key, value) -> values.put(key, List.copyOf(value)));
            copy.put(operator, java.util.Collections.unmodifiableMap(values));
        });
        conditions = java.util.Collections.unmodifiableMap(copy);
    }

    public static Statement allow(List<String> actions, List<String> resources) {
        return new Statement(actions, resources, Map.of());
    }

    /** The same statement with one more condition ({@code operator} on {@code key}, any of {@code values}). */
    public Statement when(String operator, String key, List<String> values) {
        Map<String, Map<String, List<String>>> more = new LinkedHashMap<>(conditions);
        Map<String, List<String>> keys = new LinkedHashMap<>(more.getOrDefault(operator, Map.of()));
        keys.put(key, values);
        more.put(operator, keys);
        return new Statement(actions, resources, more);
    }
}
