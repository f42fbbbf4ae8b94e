package dev.deckhand.statemachine.bench;

import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.Json;
import dev.deckhand.statemachine.StateMachineDefinition;
import dev.deckhand.statemachine.StepFunctionsEngine;
import dev.deckhand.statemachine.TaskResources;
import dev.deckhand.statemachine.clock.EngineClock;
import dev.deckhand.statemachine.clock.SimulatedClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of the engine on a 20-state definition of no-op Task states, in both query languages.
 * Not a test: it prints figures. Run it with
 *
 * <pre>
 * ./mvnw -q -pl statemachine test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.deckhand.statemachine.bench.EngineBenchmark
 * </pre>
 */
public final class EngineBenchmark {

    private static final int STATES = 20;
    private static final String NOOP = "arn:aws:states:::deckhand:noop";

    private EngineBenchmark() {
    }

    public static void main(String[] args) throws InterruptedException {
        int executions = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        System.out.printf(Locale.ROOT, "Deckhand local Step Functions engine: %d-state no-op definition, %d executions%n",
                STATES, executions);
        System.out.printf(Locale.ROOT, "JVM %s, %d available processors%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        for (String language : List.of("JSONata", "JSONPath")) {
            String definition = definition(language);
            measure(language, definition, executions / 4, 1, false);
            measure(language, definition, executions, 1, true);
            measure(language, definition, executions, 16, true);
        }
    }

    private static void measure(String language, String definition, int executions, int concurrent, boolean print)
            throws InterruptedException {
        TaskResources resources = new TaskResources().register(NOOP, invocation -> invocation.arguments());
        SimulatedClock clock = new SimulatedClock();
        try (StepFunctionsEngine engine = new StepFunctionsEngine(clock, resources)) {
            String machine = engine.createStateMachine("bench", StateMachineDefinition.parse(definition));
            long start = System.nanoTime();
            for (int done = 0; done < executions; done += concurrent) {
                List<String> batch = new ArrayList<>();
                // Hold simulated time while starting the batch, so every execution in it starts together.
                EngineClock.Activity starting = clock.beginActivity();
                try {
                    for (int i = done; i < Math.min(executions, done + concurrent); i++) {
                        batch.add(engine.startExecution(machine, "run-" + i, "{\"n\": " + i + "}"));
                    }
                } finally {
                    starting.close();
                }
                for (String arn : batch) {
                    ExecutionDescription result = engine.awaitCompletion(arn, Duration.ofSeconds(30));
                    if (result.status() != ExecutionStatus.SUCCEEDED) {
                        throw new IllegalStateException("Benchmark execution did not succeed: " + result);
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (print) {
                double perSecond = executions / seconds;
                double microsPerState = seconds * 1e6 / ((double) executions * STATES);
                System.out.printf(Locale.ROOT,
                        "%-8s %2d at a time: %8.1f executions/s, %7.1f us per state (%d executions in %.2f s)%n",
                        language, concurrent, perSecond, microsPerState, executions, seconds);
            }
        }
    }

    private static String definition(String language) {
        var root = Json.MAPPER.createObjectNode();
        root.put("QueryLanguage", language);
        root.put("StartAt", "Step 1");
        var states = root.putObject("States");
        for (int i = 1; i <= STATES; i++) {
            var state = states.putObject("Step " + i);
            state.put("Type", "Task");
            state.put("Resource", NOOP);
            if (language.equals("JSONata")) {
                state.putObject("Arguments").put("n", "{% $states.input.n %}");
            } else {
                state.putObject("Parameters").put("n.$", "$.n");
            }
            if (i == STATES) {
                state.put("End", true);
            } else {
                state.put("Next", "Step " + (i + 1));
            }
        }
        return Json.write(root);
    }
}
