package dev.deckhand.statemachine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.statemachine.Json;
import dev.deckhand.statemachine.StateMachineDefinition;
import dev.deckhand.statemachine.StepFunctionsEngine;
import dev.deckhand.statemachine.TaskResources;
import dev.deckhand.statemachine.clock.EngineClock;
import dev.deckhand.statemachine.clock.SimulatedClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Throughput of the local Step Functions engine, simulated clock (Wait states take no real time),
 * at 1, 10, 100 and 1,000 executions at a time:
 * <ul>
 *   <li>a 20-state definition of no-op Task states, in both query languages;</li>
 *   <li>20 JSONPath states alternating Tasks whose ResultPath nests into a growing input and
 *       Choice states with nested rules;</li>
 *   <li>{@code deployer.asl.json} itself, its functions replaced by instant ones that answer what
 *       the definition reads ({@link InstantDeployerFunctions}), so the figure is the engine's
 *       (JSONata, variables, Retry/Catch bookkeeping, Wait states, history), not the handlers'.</li>
 * </ul>
 * Not a test: it prints figures. Run it with the benchmark suite:
 * {@code ./mvnw -B -q -Pbench -pl local -am verify -Dbench=engine}.
 */
public final class EngineBenchmark {

    private static final int STATES = 20;
    // 500 executions a row took well under a second: on the shared 2-core machine one scheduler
    // hiccup changed a row by a factor of ten. Longer rows average it out.
    private static final int EXECUTIONS_PER_ROW = 2000;
    private static final int WARM_UP_EXECUTIONS = Integer.getInteger("bench.engine.warmup", 4000);
    private static final String NOOP = "arn:aws:states:::deckhand:noop";
    private static final List<Integer> CONCURRENCY = List.of(1, 10, 100, 1000);
    private static final Pattern FUNCTION_ARN = Pattern.compile("\\$\\{(\\w+)FunctionArn}");

    private EngineBenchmark() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.printf(Locale.ROOT, "%d available processors; executions run on pooled engine threads; warm-up per "
                + "definition: %,d executions one at a time, then 1,000 at 100 at a time.%n%n",
                Runtime.getRuntime().availableProcessors(), WARM_UP_EXECUTIONS);
        System.out.println("| Definition | Executions at a time | Executions | Executions/s | States entered per execution "
                + "| Wall time per state entered | CPU time per execution |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (String language : List.of("JSONata", "JSONPath")) {
            String definition = noOpDefinition(language);
            sweep("20 no-op Tasks, " + language, definition, () -> new TaskResources().register(NOOP,
                    invocation -> invocation.arguments()), "Step " + STATES);
        }
        sweep("10 Tasks with nested ResultPath + 9 Choices, JSONPath", choiceAndResultPathDefinition(),
                () -> new TaskResources().register(NOOP, invocation -> invocation.arguments()), "Step " + STATES);
        sweep("deployer.asl.json, instant functions", deployerDefinition(), EngineBenchmark::instantDeployer,
                "Deployed");
    }

    private interface Resources {
        TaskResources create();
    }

    private static void sweep(String name, String definition, Resources resources, String lastState)
            throws InterruptedException {
        int statesPerExecution = statesEntered(definition, resources.create(), lastState);
        // Warm-up until the JIT has compiled the hot paths (a few thousand executions; 200 left the
        // one-at-a-time row measuring the JIT compiler), at the two extremes of concurrency.
        measure(definition, resources.create(), WARM_UP_EXECUTIONS, 1);
        measure(definition, resources.create(), 1000, 100);
        for (int concurrent : CONCURRENCY) {
            int executions = Math.max(EXECUTIONS_PER_ROW, 2 * concurrent);
            long cpuBefore = processCpuNanos();
            double seconds = measure(definition, resources.create(), executions, concurrent);
            double cpuMicros = (processCpuNanos() - cpuBefore) / 1e3 / executions;
            System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %,.0f | %d | %.0f µs | %,.0f µs |%n", name, concurrent,
                    executions, executions / seconds, statesPerExecution,
                    seconds * 1e6 / ((double) executions * statesPerExecution), cpuMicros);
        }
    }

    /**
     * CPU time of the whole JVM (all threads, JIT and GC included): unlike executions/s, it does not
     * depend on how busy the machine's other processes keep its cores.
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Runs {@code executions} executions, {@code concurrent} at a time; the wall time in seconds. */
    private static double measure(String definition, TaskResources resources, int executions, int concurrent)
            throws InterruptedException {
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
                    ExecutionDescription result = engine.awaitCompletion(arn, Duration.ofMinutes(5));
                    if (result.status() != ExecutionStatus.SUCCEEDED) {
                        throw new IllegalStateException("a benchmark execution did not succeed: " + result.status()
                                + " " + result.error() + ": " + result.cause());
                    }
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** States one execution enters, checking that it ends in {@code lastState} (the path measured). */
    static int statesEntered(String definition, TaskResources resources, String lastState)
            throws InterruptedException {
        try (StepFunctionsEngine engine = new StepFunctionsEngine(new SimulatedClock(), resources)) {
            String machine = engine.createStateMachine("bench", StateMachineDefinition.parse(definition));
            String arn = engine.startExecution(machine, "path", "{\"n\": 0}");
            ExecutionDescription result = engine.awaitCompletion(arn, Duration.ofSeconds(30));
            List<HistoryEvent> entered = engine.getExecutionHistory(arn).stream()
                    .filter(event -> event.type().endsWith("StateEntered")).collect(Collectors.toList());
            if (result.status() != ExecutionStatus.SUCCEEDED || entered.isEmpty()
                    || !lastState.equals(entered.get(entered.size() - 1).stateName())) {
                throw new IllegalStateException("the benchmark's execution did not end in '" + lastState + "': "
                        + result.status() + " " + result.error() + ": " + result.cause());
            }
            return entered.size();
        }
    }

    static TaskResources instantDeployer() {
        return new InstantDeployerFunctions().registerInto(new TaskResources());
    }

    private static String noOpDefinition(String language) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("QueryLanguage", language);
        root.put("StartAt", "Step 1");
        ObjectNode states = root.putObject("States");
        for (int i = 1; i <= STATES; i++) {
            ObjectNode state = states.putObject("Step " + i);
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

    /**
     * JSONPath Choice rules and ResultPath (issue 19): Tasks at odd steps add their result under
     * {@code $.results.stepN}, so the input grows as the execution goes; each Choice between them
     * evaluates a nested rule (And, Not, IsPresent, StringMatches, a numeric comparison); Step 20
     * succeeds.
     */
    private static String choiceAndResultPathDefinition() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("StartAt", "Step 1");
        ObjectNode states = root.putObject("States");
        for (int i = 1; i < STATES; i++) {
            ObjectNode state = states.putObject("Step " + i);
            if (i % 2 == 1) {
                state.put("Type", "Task");
                state.put("Resource", NOOP);
                ObjectNode parameters = state.putObject("Parameters");
                parameters.put("n.$", "$.n");
                ObjectNode tags = parameters.putObject("tags");
                for (int t = 0; t < 10; t++) {
                    tags.put("tag" + t, "value " + t);
                }
                state.put("ResultPath", "$.results.step" + i);
                state.put("Next", "Step " + (i + 1));
            } else {
                state.put("Type", "Choice");
                state.put("Default", "Mismatch");
                ObjectNode rule = state.putArray("Choices").addObject();
                var all = rule.putArray("And");
                all.addObject().put("Variable", "$.n").put("NumericGreaterThanEquals", 0);
                all.addObject().put("Variable", "$.results.step" + (i - 1) + ".tags.tag9").put("IsPresent", true);
                all.addObject().putObject("Not").put("Variable", "$.results.step" + (i - 1) + ".tags.tag0")
                        .put("StringMatches", "other*");
                rule.put("Next", "Step " + (i + 1));
            }
        }
        states.putObject("Step " + STATES).put("Type", "Succeed");
        states.putObject("Mismatch").put("Type", "Fail").put("Error", "Mismatch");
        return Json.write(root);
    }

    /** The definition the CDK app deploys, each {@code ${XFunctionArn}} naming the instant function X. */
    static String deployerDefinition() {
        String text;
        try (InputStream in = StateMachineDefinition.class.getResourceAsStream("/deployer.asl.json")) {
            if (in == null) {
                throw new IllegalStateException("deployer.asl.json is missing from the statemachine classes");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher placeholder = FUNCTION_ARN.matcher(text);
        return placeholder.replaceAll(match -> "arn:aws:lambda:us-east-1:000000000000:function:" + match.group(1));
    }

    /** For {@link InstantDeployerFunctions}: a JSON object from pairs. */
    static JsonNode object(String... pairs) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            node.put(pairs[i], pairs[i + 1]);
        }
        return node;
    }
}
