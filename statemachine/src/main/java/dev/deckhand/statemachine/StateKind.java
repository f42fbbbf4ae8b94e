package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a state of each type holds beyond the common data flow ({@link StateFields}), read once at
 * load (https://states-language.net/spec.html, "State Types"). A JSONPath-only path is its text; a
 * value that may be a literal or a JSONata expression is kept as written.
 */
sealed interface StateKind {

    /** Pass: an optional fixed Result (JSONPath). */
    record Pass(JsonNode result) implements StateKind {
    }

    /** Task: its resource, parsed once, and its timeouts. */
    record Task(String resource, IntegrationPattern pattern, String resourceType, String resourceName,
                JsonNode timeoutSeconds, String timeoutSecondsPath, JsonNode heartbeatSeconds,
                String heartbeatSecondsPath) implements StateKind {
    }

    /** Choice: its rules (JSONPath comparisons or JSONata Conditions) and Default. */
    record Choice(List<ChoiceRule> rules, String defaultState) implements StateKind {
    }

    /**
     * One Choice rule: its Next, and its Condition (JSONata) or its comparison parsed once (JSONPath,
     * {@link ChoiceRules}); Output and Assign are null when the rule has none, so the state's own
     * apply.
     */
    record ChoiceRule(String next, JsonNode condition, ChoiceRules.Comparison comparison, JsonNode output,
                      JsonNode assign) {
    }

    /** Wait: exactly one of Seconds, SecondsPath, Timestamp, TimestampPath. */
    record Wait(JsonNode seconds, String secondsPath, JsonNode timestamp, String timestampPath) implements StateKind {
    }

    /** Succeed: ends its graph successfully. */
    record Succeed() implements StateKind {
    }

    /** Fail: its Error and Cause, or the paths (or intrinsics) that give them. */
    record Fail(JsonNode error, String errorPath, JsonNode cause, String causePath) implements StateKind {
    }

    /** Parallel: its branches. */
    record Parallel(List<StateGraph> branches) implements StateKind {
    }

    /** Map: its item processor, items, ItemSelector (or legacy Parameters), concurrency and mode settings. */
    record Map(StateGraph processor, MapSpec spec, JsonNode items, String itemsPath, JsonNode itemSelector,
               JsonNode maxConcurrency, String maxConcurrencyPath, String label) implements StateKind {
    }

    /** The kind of a validated state of type {@code type}. */
    static StateKind of(String type, com.fasterxml.jackson.databind.node.ObjectNode fields, List<StateGraph> branches,
                        StateGraph processor, MapSpec map) {
        return switch (type) {
            case "Pass" -> new Pass(fields.get("Result"));
            case "Task" -> {
                String resource = fields.get("Resource").asText();
                String[] typeAndName = IntegrationPattern.typeAndName(resource);
                yield new Task(resource, IntegrationPattern.of(resource), typeAndName[0], typeAndName[1],
                        fields.get("TimeoutSeconds"), text(fields, "TimeoutSecondsPath"), fields.get("HeartbeatSeconds"),
                        text(fields, "HeartbeatSecondsPath"));
            }
            case "Choice" -> {
                List<ChoiceRule> rules = new java.util.ArrayList<>();
                fields.get("Choices").forEach(rule -> rules.add(new ChoiceRule(text(rule, "Next"), rule.get("Condition"),
                        rule.has("Condition") ? null : ChoiceRules.parse(rule), rule.get("Output"), rule.get("Assign"))));
                yield new Choice(List.copyOf(rules), text(fields, "Default"));
            }
            case "Wait" -> new Wait(fields.get("Seconds"), text(fields, "SecondsPath"), fields.get("Timestamp"),
                    text(fields, "TimestampPath"));
            case "Succeed" -> new Succeed();
            case "Fail" -> new Fail(fields.get("Error"), text(fields, "ErrorPath"), fields.get("Cause"),
                    text(fields, "CausePath"));
            case "Parallel" -> new Parallel(branches);
            case "Map" -> new Map(processor, map, fields.get("Items"), text(fields, "ItemsPath"),
                    fields.has("ItemSelector") ? fields.get("ItemSelector") : fields.get("Parameters"),
                    fields.get("MaxConcurrency"), text(fields, "MaxConcurrencyPath"), text(fields, "Label"));
            default -> throw new IllegalArgumentException("Unvalidated state type " + type);
        };
    }

    private static String text(JsonNode fields, String field) {
        return StateFields.text(fields.get(field));
    }
}
