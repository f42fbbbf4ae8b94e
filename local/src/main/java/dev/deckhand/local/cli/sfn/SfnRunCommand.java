package dev.deckhand.local.cli.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.statemachine.DefinitionException;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.statemachine.Json;
import dev.deckhand.statemachine.StateMachineDefinition;
import dev.deckhand.statemachine.StepFunctionsEngine;
import dev.deckhand.statemachine.TaskResources;
import dev.deckhand.statemachine.clock.EngineClock;
import dev.deckhand.statemachine.clock.RealTimeClock;
import dev.deckhand.statemachine.clock.SimulatedClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deckhand sfn run}: executes a definition on an input and prints
 * {@code {"status", "output", "error", "cause"}}. Exits 0 whatever the execution's status, 2 when
 * the definition or the arguments are invalid.
 */
@Command(name = "run",
        description = {
            "Run a state machine definition on an input and print the outcome as one JSON object:",
            "  {\"status\": SUCCEEDED|FAILED|TIMED_OUT|ABORTED, \"output\": ..., \"error\": ..., \"cause\": ...}",
            "Wait states, retries and timeouts run in simulated time (instantly) unless --real-time.",
            "Exit status: 0 whatever the execution's status; 2 if the definition or an argument is invalid."},
        mixinStandardHelpOptions = true,
        sortOptions = false,
        footer = {
            "",
            "Mocks:",
            "  --mock lambda:<function-name>=<file.json> makes the Lambda function <function-name>, called",
            "  through arn:aws:states:::lambda:invoke, return the file's JSON; the task result is the Invoke",
            "  response around it ({\"Payload\": <file>, \"StatusCode\": 200, ...}), as on AWS.",
            "  --mock <resource-arn>=<file.json> makes every Task whose Resource is <resource-arn> return the",
            "  file's JSON as its whole result (it wins over lambda:<function-name> mocks for lambda:invoke).",
            "  A file that contains only \"Error\" (and optionally \"Cause\"), e.g.",
            "    {\"Error\": \"Lambda.TooManyRequestsException\", \"Cause\": \"Rate exceeded\"}",
            "  makes the task fail with that error instead, so Retry and Catch can be exercised.",
            "  Repeat --mock for the same resource to answer successive calls in order (the last repeats):",
            "    --mock lambda:health-check=unhealthy.json --mock lambda:health-check=healthy.json",
            "  A mocked .waitForTaskToken resource answers through the task token, as a real worker would.",
            "  A Task whose resource is not mocked fails with States.Runtime.",
            "",
            "Example:",
            "  deckhand sfn run --definition statemachine/deployer.asl.json --input events/push-v1.json \\",
            "      --mock lambda:resolve-env=resolved.json --mock arn:aws:states:::ecs:runTask.sync=migrated.json"})
public final class SfnRunCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--definition", required = true, paramLabel = "<file.asl.json>",
            description = "The Amazon States Language definition to run.")
    private Path definition;

    @Option(names = "--input", paramLabel = "<file.json|->", defaultValue = "-",
            description = "The execution input: a JSON file, or - for standard input (default).")
    private String input;

    @Option(names = "--mock", paramLabel = "<resource-arn|lambda:function>=<file.json>",
            description = "Answer Tasks of <resource-arn>, or calls of a Lambda function, with the file's JSON "
                    + "(see Mocks below). Repeatable.")
    private List<String> mocks = new ArrayList<>();

    @Option(names = "--name", paramLabel = "<execution-name>", defaultValue = "sfn-run",
            description = "The execution name (default: ${DEFAULT-VALUE}).")
    private String name;

    @Option(names = "--real-time", description = "Run Wait states, retries and timeouts in real time.")
    private boolean realTime;

    @Option(names = "--timeout", paramLabel = "<seconds>", defaultValue = "60",
            description = "Real seconds to wait for the execution before stopping it (ABORTED); default ${DEFAULT-VALUE}.")
    private long timeoutSeconds;

    @Option(names = "--history", description = "Also print the execution history (GetExecutionHistory events).")
    private boolean history;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run();
        } catch (InvalidArgument e) {
            err.println("deckhand sfn run: " + e.getMessage());
            err.flush();
            return CommandLine.ExitCode.USAGE;
        } catch (DefinitionException e) {
            err.println("deckhand sfn run: invalid definition " + definition + ": " + e.getMessage());
            err.flush();
            return CommandLine.ExitCode.USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("deckhand sfn run: interrupted");
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        }
        // Anything else is unexpected: the deckhand command prints it as one line (stack trace with --debug).
    }

    private int run() throws InterruptedException {
        StateMachineDefinition machine = StateMachineDefinition.parse(readText(definition, "definition"));
        String inputJson = input.equals("-") ? readStdin() : readText(Path.of(input), "input");
        checkJson(inputJson, "--input " + input);
        TaskMocks taskMocks = parseMocks();

        EngineClock clock = realTime ? new RealTimeClock() : new SimulatedClock();
        TaskResources resources = new TaskResources();
        AtomicReference<StepFunctionsEngine> engineRef = new AtomicReference<>();
        taskMocks.registerInto(resources, engineRef);
        try (StepFunctionsEngine engine = new StepFunctionsEngine(clock, resources)) {
            engineRef.set(engine);
            String machineArn = engine.createStateMachine("sfn-run", machine);
            String executionArn;
            try {
                executionArn = engine.startExecution(machineArn, name, inputJson);
            } catch (dev.deckhand.statemachine.ExecutionException e) {
                throw new InvalidArgument(e.getMessage());
            }
            ExecutionDescription done = engine.awaitCompletion(executionArn, Duration.ofSeconds(timeoutSeconds));
            if (done.status() == ExecutionStatus.RUNNING) {
                done = engine.stopExecution(executionArn, "Deckhand.CliTimeout",
                        "The execution did not end within --timeout " + timeoutSeconds + " s");
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(Json.write(result(done, history ? engine.getExecutionHistory(executionArn) : null)));
            out.flush();
            return CommandLine.ExitCode.OK;
        }
    }

    private static ObjectNode result(ExecutionDescription done, List<HistoryEvent> events) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("status", done.status().name());
        result.set("output", done.output() == null ? Json.MAPPER.nullNode() : Json.parse(done.output()));
        result.put("error", done.error());
        result.put("cause", done.cause());
        if (events != null) {
            ArrayNode array = result.putArray("history");
            events.forEach(event -> array.add(event.toJson()));
        }
        return result;
    }

    private TaskMocks parseMocks() {
        TaskMocks taskMocks = new TaskMocks();
        for (String mock : mocks) {
            // Resource ARNs contain ':' but never '=', so the last '=' separates the file.
            int separator = mock.lastIndexOf('=');
            if (separator <= 0 || separator == mock.length() - 1) {
                throw new InvalidArgument("--mock must be <resource-arn>=<file.json> or lambda:<function>=<file.json>, got '"
                        + mock + "'");
            }
            Path file = Path.of(mock.substring(separator + 1));
            String text = readText(file, "mock");
            taskMocks.add(mock.substring(0, separator), checkJson(text, "--mock file " + file));
        }
        return taskMocks;
    }

    private static JsonNode checkJson(String text, String what) {
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgument(what + " is not valid JSON: " + e.getMessage());
        }
    }

    private static String readText(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidArgument("the " + what + " file " + file + " does not exist");
        } catch (IOException e) {
            throw new InvalidArgument("cannot read the " + what + " file " + file + ": " + e.getMessage());
        }
    }

    private static String readStdin() {
        try {
            InputStream in = System.in;
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidArgument("cannot read the input from standard input: " + e.getMessage());
        }
    }

    /** A bad argument: reported as one line, exit status 2. */
    private static final class InvalidArgument extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidArgument(String message) {
            super(message);
        }
    }
}
