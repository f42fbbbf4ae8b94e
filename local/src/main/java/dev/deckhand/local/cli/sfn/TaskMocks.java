package dev.deckhand.local.cli.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.statemachine.LambdaFunctions;
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
 * Canned task results given with {@code --mock <resource-arn>=<file.json>} or
 * {@code --mock lambda:<function-name>=<file.json>}. Several mocks of one target answer successive
 * calls in order, the last one repeating; a mock shaped {@code {"Error": "...", "Cause": "..."}}
 * (only those keys) fails the task with that error.
 */
final class TaskMocks {

    /** Prefix of a mock that stands for one Lambda function behind {@code lambda:invoke}. */
    static final String FUNCTION_PREFIX = "lambda:";

    private final Map<String, List<JsonNode>> byResource = new LinkedHashMap<>();
    private final Map<String, List<JsonNode>> byFunction = new LinkedHashMap<>();

    void add(String target, JsonNode response) {
        if (target.startsWith(FUNCTION_PREFIX)) {
            byFunction.computeIfAbsent(target.substring(FUNCTION_PREFIX.length()), key -> new ArrayList<>())
                    .add(response);
        } else {
            byResource.computeIfAbsent(target, key -> new ArrayList<>()).add(response);
        }
    }

    /**
     * Registers the mocked functions behind {@code lambda:invoke} (wrapped in the Invoke response, as
     * {@link LambdaFunctions} does) and one handler per mocked resource; a resource mock of
     * {@code lambda:invoke} itself wins over function mocks. {@code engine} is set once the engine exists.
     */
    void registerInto(TaskResources resources, AtomicReference<StepFunctionsEngine> engine) {
        if (!byFunction.isEmpty()) {
            LambdaFunctions functions = new LambdaFunctions();
            byFunction.forEach((name, responses) -> {
                Responses answers = new Responses(responses);
                functions.register(name, event -> {
                    JsonNode response = answers.next();
                    if (isError(response)) {
                        throw new StatesError(response.get("Error").asText(),
                                response.hasNonNull("Cause") ? response.get("Cause").asText() : null);
                    }
                    return response;
                });
            });
            functions.registerInto(resources);
        }
        byResource.forEach((resource, responses) -> resources.register(resource, new Mock(responses, engine)));
    }

    /** Successive answers, the last one repeating. */
    private static final class Responses {
        private final List<JsonNode> responses;
        private int calls;

        Responses(List<JsonNode> responses) {
            this.responses = responses;
        }

        synchronized JsonNode next() {
            return responses.get(Math.min(calls++, responses.size() - 1));
        }
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
        private final Responses responses;
        private final AtomicReference<StepFunctionsEngine> engine;

        Mock(List<JsonNode> responses, AtomicReference<StepFunctionsEngine> engine) {
            this.responses = new Responses(responses);
            this.engine = engine;
        }

        @Override
        public JsonNode invoke(TaskInvocation invocation) {
            JsonNode response = responses.next();
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
