package dev.deckhand.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.errors.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The typed inputs of a step that does several things, one record per {@code action}: the JSON
 * door parses the event into the record its {@code action} names, and the code behind the door
 * never looks a field up by string. An unknown action, like a missing or malformed field, is one
 * {@link InvalidInputException} with a one-line message.
 *
 * @param <T> the step's input type, usually a sealed interface of records
 */
public final class StepInputs<T> {

    private final Map<String, Function<JsonNode, ? extends T>> byAction;

    private StepInputs(Map<String, Function<JsonNode, ? extends T>> byAction) {
        this.byAction = Collections.unmodifiableMap(byAction);
    }

    /** Starts a table; {@link #or} adds each further action, in the order the messages list them. */
    public static <T> StepInputs<T> of(String action, Function<JsonNode, ? extends T> parser) {
        Map<String, Function<JsonNode, ? extends T>> byAction = new LinkedHashMap<>();
        byAction.put(action, parser);
        return new StepInputs<>(byAction);
    }

    public StepInputs<T> or(String action, Function<JsonNode, ? extends T> parser) {
        Map<String, Function<JsonNode, ? extends T>> byAction = new LinkedHashMap<>(this.byAction);
        if (byAction.put(action, parser) != null) {
            throw new IllegalArgumentException("action " + action + " is listed twice");
        }
        return new StepInputs<>(byAction);
    }

    /** The actions this step accepts (the catalogue lists them; the definition test checks the definition's). */
    public Set<String> actions() {
        return byAction.keySet();
    }

    /** A text field the action needs, e.g. the {@code taskToken} of a {@code .waitForTaskToken} state. */
    public static String required(JsonNode event, String field) {
        String value = event.path(field).asText("");
        if (value.isBlank()) {
            throw new InvalidInputException(field + ": required");
        }
        return value;
    }

    public T parse(JsonNode event) {
        String action = event.path("action").asText("");
        Function<JsonNode, ? extends T> parser = byAction.get(action);
        if (parser == null) {
            throw new InvalidInputException("action: '" + action + "' is not " + alternatives());
        }
        return parser.apply(event);
    }

    private String alternatives() {
        List<String> names = new ArrayList<>(byAction.keySet());
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
