package dev.deckhand.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the real deployer definition's Task states, nested ones included. */
final class DefinitionStates {

    private DefinitionStates() {
    }

    /** Every Task state whose arguments name {@code ${<substitution>}}. */
    static List<JsonNode> invoking(String substitution) {
        List<JsonNode> tasks = new ArrayList<>();
        collect(definition().get("States"), "${" + substitution + "}", tasks);
        return tasks;
    }

    /** The smallest {@code TimeoutSeconds} of the states invoking it (Step Functions' default is 99999999). */
    static int shortestTimeoutOfStatesInvoking(String substitution) {
        List<JsonNode> tasks = invoking(substitution);
        if (tasks.isEmpty()) {
            throw new AssertionError("no state of the definition invokes ${" + substitution + "}");
        }
        return tasks.stream().mapToInt(task -> task.path("TimeoutSeconds").asInt(99_999_999)).min().orElseThrow();
    }

    private static void collect(JsonNode states, String placeholder, List<JsonNode> tasks) {
        states.forEach(state -> {
            if ("Task".equals(state.path("Type").asText()) && state.path("Arguments").toString().contains(placeholder)) {
                tasks.add(state);
            }
            state.path("Branches").forEach(branch -> collect(branch.get("States"), placeholder, tasks));
            if (state.has("ItemProcessor")) {
                collect(state.at("/ItemProcessor/States"), placeholder, tasks);
            }
        });
    }

    private static JsonNode definition() {
        try {
            return new ObjectMapper().readTree(TestInstallation.DEFINITION.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
