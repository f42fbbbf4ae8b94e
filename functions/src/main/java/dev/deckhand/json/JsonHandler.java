package dev.deckhand.json;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.errors.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The door every handler shares: read the event as JSON, run one function under Powertools
 * logging with the deployment id as correlation id, write the result as JSON. Exceptions pass
 * through unchanged, because their class names are the error names the state machine matches.
 */
public final class JsonHandler {

    private JsonHandler() {
    }

    public static void handle(InputStream input, OutputStream output, Context context, Function<JsonNode, ?> step) {
        PowertoolsLogging.withLogging(context, () -> {
            JsonNode event = read(input);
            String deploymentId = event.path("target").path("deploymentId").asText("");
            if (!deploymentId.isEmpty()) {
                MDC.put("correlation_id", deploymentId);
            }
            Object result = step.apply(event);
            write(result, output);
            return result;
        });
    }

    private static JsonNode read(InputStream input) {
        try {
            JsonNode event = DeckhandJson.MAPPER.readTree(input);
            return event == null ? DeckhandJson.MAPPER.missingNode() : event;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("input is not valid JSON: " + DeckhandJson.problem(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Object result, OutputStream output) {
        try {
            DeckhandJson.MAPPER.writeValue(output, result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a field of a step's event as a Deckhand value, or fails naming the field. */
    public static <T> T field(JsonNode event, String name, Class<T> type) {
        JsonNode value = event.get(name);
        if (value == null || value.isNull()) {
            throw new InvalidInputException(name + ": required");
        }
        try {
            return DeckhandJson.PAYLOADS.treeToValue(value, type);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(name + ": " + e.getOriginalMessage());
        }
    }
}
