package dev.deckhand.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.statemachine.StepFunctionsEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Prints an execution's progress as it happens, state by state, from its history (the way the
 * console's event view reads), with simulated timings and every failed attempt and retry.
 */
final class ExecutionProgress {

    private static final Duration POLL = Duration.ofMillis(20);

    private final StepFunctionsEngine engine;
    private final PrintWriter out;

    ExecutionProgress(StepFunctionsEngine engine, PrintWriter out) {
        this.engine = engine;
        this.out = out;
    }

    /** Follows the execution until it ends (or {@code timeout} of real time passes) and returns its end. */
    ExecutionDescription follow(String executionArn, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        int printed = 0;
        Instant start = null;
        while (true) {
            ExecutionDescription now = engine.describeExecution(executionArn);
            List<HistoryEvent> history = engine.getExecutionHistory(executionArn);
            if (start == null && !history.isEmpty()) {
                start = history.get(0).timestamp();
            }
            for (; printed < history.size(); printed++) {
                print(history.get(printed), start);
            }
            if (!now.status().name().equals("RUNNING")) {
                return now;
            }
            if (Instant.now().isAfter(deadline)) {
                engine.stopExecution(executionArn, "Deckhand.DemoTimeout", "the demo stopped waiting");
                return engine.describeExecution(executionArn);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private void print(HistoryEvent event, Instant start) {
        String at = clock(Duration.between(start, event.timestamp()));
        switch (event.type()) {
            case "TaskStateEntered", "ChoiceStateEntered", "WaitStateEntered", "PassStateEntered",
                    "SucceedStateEntered", "FailStateEntered" -> {
                if (!event.type().equals("ChoiceStateEntered") && !event.type().equals("PassStateEntered")) {
                    out.printf("      %s  %s%n", at, event.stateName());
                }
            }
            case "TaskFailed" -> out.printf("      %s    x %s%n", at, failure(event.details()));
            default -> {
            }
        }
        out.flush();
    }

    /** "HealthCheckPendingException: round 1 of 8: … answered status 503" from a task failure. */
    static String failure(JsonNode details) {
        String error = details.path("error").asText("");
        String cause = details.path("cause").asText("");
        try {
            JsonNode parsed = DeckhandJson.MAPPER.readTree(cause);
            if (parsed != null && parsed.has("errorMessage")) {
                cause = parsed.path("errorMessage").asText();
            }
        } catch (IOException e) {
            // a plain-text cause
        }
        String shortError = error.substring(error.lastIndexOf('.') + 1);
        String line = shortError + ": " + cause.replaceAll("\\s+", " ");
        return line.length() <= 150 ? line : line.substring(0, 149) + "…";
    }

    static String clock(Duration elapsed) {
        long seconds = elapsed.toSeconds();
        return String.format("%02d:%02d", seconds / 60, seconds % 60);
    }
}
