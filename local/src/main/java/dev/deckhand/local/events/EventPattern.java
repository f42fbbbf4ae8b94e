package dev.deckhand.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.event.ruler.Machine;

/**
 * An EventBridge event pattern, matched by AWS's own open-source matcher, Event Ruler
 * ({@code software.amazon.event.ruler}, the library EventBridge is built on), so the local bus
 * accepts, refuses and matches patterns as EventBridge does: fields ANDed, listed values ORed,
 * arrays matched element-wise, and the operators of "Content filtering in Amazon EventBridge event
 * patterns" (prefix, suffix, anything-but, numeric, exists, equals-ignore-case, wildcard, cidr, $or).
 */
public final class EventPattern {

    private static final String RULE = "pattern";

    private final String source;
    private final Machine machine;

    private EventPattern(String source, Machine machine) {
        this.source = source;
        this.machine = machine;
    }

    /**
     * Parses and validates a pattern.
     *
     * @throws InvalidEventPatternException when EventBridge would reject the pattern, with Event Ruler's reason
     */
    public static EventPattern parse(String json) {
        if (json == null) {
            throw new InvalidEventPatternException("The pattern must be a JSON object");
        }
        Machine machine = new Machine();
        try {
            machine.addRule(RULE, json);
        } catch (Exception e) {
            // The machine's compiler (JsonRuleCompiler, which knows $or) refuses what EventBridge refuses.
            // Its message goes on with the parser's location on a second line: keep the reason, on one line.
            String reason = String.valueOf(e.getMessage()).strip();
            throw new InvalidEventPatternException(reason.lines().findFirst().orElse(reason));
        }
        return new EventPattern(json, machine);
    }

    /** Whether the event (the full envelope, as EventBridge delivers it) matches this pattern. */
    public boolean matches(JsonNode event) {
        if (event == null || !event.isObject()) {
            return false;
        }
        return !machine.rulesForJSONEvent(event).isEmpty();
    }

    /** The pattern exactly as it was given. */
    public String json() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}
