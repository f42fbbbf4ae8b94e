package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.statemachine.clock.SimulatedClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A simulated-time engine plus helpers to run definition fixtures from src/test/resources. */
public final class EngineHarness implements AutoCloseable {

    /** The instant every simulated run starts at. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    public final SimulatedClock clock = new SimulatedClock(START);
    public final TaskResources resources = new TaskResources();
    public final LambdaFunctions lambdas = new LambdaFunctions();
    public final StepFunctionsEngine engine = new StepFunctionsEngine(clock, resources);
    private int machines;

    public EngineHarness() {
        lambdas.registerInto(resources);
    }

    /** Reads a test resource as text. */
    public static String resource(String path) {
        try (InputStream in = EngineHarness.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("No test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a state machine from a definition text and returns its ARN. */
    public String machine(String definitionJson) {
        return engine.createStateMachine("machine-" + (++machines), StateMachineDefinition.parse(definitionJson));
    }

    /** Starts an execution of a definition fixture and returns its ARN. */
    public String start(String definitionJson, String input) {
        return engine.startExecution(machine(definitionJson), null, input);
    }

    /** Runs a definition text to completion. */
    public ExecutionDescription run(String definitionJson, String input) {
        return await(start(definitionJson, input));
    }

    /** Runs a fixture file under src/test/resources/definitions. */
    public ExecutionDescription runFixture(String name, String input) {
        return run(resource("definitions/" + name), input);
    }

    /** Waits (real time, bounded) for an execution to end. */
    public ExecutionDescription await(String executionArn) {
        try {
            ExecutionDescription done = engine.awaitCompletion(executionArn, Duration.ofSeconds(10));
            if (done.status() == ExecutionStatus.RUNNING) {
                throw new AssertionError("Execution still running after 10 s: " + executionArn);
            }
            return done;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    public List<HistoryEvent> history(String executionArn) {
        return engine.getExecutionHistory(executionArn);
    }

    public static JsonNode json(String text) {
        return Json.parse(text);
    }

    @Override
    public void close() {
        engine.close();
    }
}
