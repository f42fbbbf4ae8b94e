package dev.deckhand.local.cli.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.statemachine.StatesError;
import dev.deckhand.statemachine.StepFunctionsEngine;
import dev.deckhand.statemachine.TaskInvocation;
import dev.deckhand.statemachine.TaskResource;
import dev.deckhand.statemachine.TaskResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Canned task results given with {@code --mock <resource-arn>=<file.json>}. Several mocks of one
 * resource answer successive calls in order, the last one repeating; a mock shaped
 * {@code {"Error": "...", "Cause": "..."}} (only those keys) fails the task with that error.
 */
final class TaskMocks {

    private final Map<String, List<JsonNode>> byResource = new LinkedHashMap<>();

    void add(String resource, JsonNode response) {
        byResource.computeIfAbsent(resource, key -> new ArrayList<>()).add(response);
    }

    /** Registers one handler per mocked resource. {@code engine} is set once the engine exists. */
    void registerInto(TaskResources resources, AtomicReference<StepFunctionsEngine> engine) {
        byResource.forEach((resource, responses) -> resources.register(resource, new Mock(responses, engine)));
    }

    static boolean isError(JsonNode response) {
        if (!response.isObject() || !response.has("Error") || !response.get("Error").isTextual()) {
            return false;
        }
        for (var names = response.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("Error") && !name.equals("Cause")) {
                return false;
            }
        }
        return true;
    }

    private static final class Mock implements TaskResource {
        private final List<JsonNode> responses;
        private final AtomicReference<StepFunctionsEngine> engine;
        private int calls;

        Mock(List<JsonNode> responses, AtomicReference<StepFunctionsEngine> engine) {
            this.responses = responses;
            this.engine = engine;
        }

        @Override
        public JsonNode invoke(TaskInvocation invocation) {
            JsonNode response;
            synchronized (this) {
                response = responses.get(Math.min(calls++, responses.size() - 1));
            }
            String error = isError(response) ? response.get("Error").asText() : null;
            String cause = error != null && response.hasNonNull("Cause") ? response.get("Cause").asText() : null;
            if (invocation.taskToken() != null) {
                // .waitForTaskToken: answer through the callback API, as the real worker would.
                if (error != null) {
                    engine.get().sendTaskFailure(invocation.taskToken(), error, cause);
                } else {
                    engine.get().sendTaskSuccess(invocation.taskToken(), response.toString());
                }
                return null;
            }
            if (error != null) {
                throw new StatesError(error, cause);
            }
            return response;
        }
    }
}
