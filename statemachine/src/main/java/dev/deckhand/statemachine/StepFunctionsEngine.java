package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.statemachine.clock.EngineClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * An in-process AWS Step Functions (Standard workflows): state machines, executions, history and
 * task tokens, shaped like the Step Functions API so a local endpoint can expose it as is.
 *
 * <p>Each execution runs on a thread of its own while it lasts (pooled, see {@link EngineThreads});
 * Parallel branches and Map iterations likewise. All of them are participants of the {@link EngineClock}: with a
 * {@link dev.deckhand.statemachine.clock.SimulatedClock} time only moves when every participant
 * waits, so Wait states, retries and timeouts take no real time. Task handlers run on the
 * execution's thread and may block; no engine lock is held while they run.
 *
 * <pre>{@code
 * TaskResources resources = new TaskResources();
 * new LambdaFunctions().register("resolve-env", event -> ...).registerInto(resources);
 * StepFunctionsEngine engine = new StepFunctionsEngine(new SimulatedClock(), resources);
 * String machine = engine.createStateMachine("deployer", StateMachineDefinition.parse(asl));
 * String execution = engine.startExecution(machine, "run-1", "{\"detail\":{}}");
 * ExecutionDescription done = engine.awaitCompletion(execution, Duration.ofSeconds(10));
 * }</pre>
 */
public final class StepFunctionsEngine implements AutoCloseable {

    private static final Pattern INVALID_NAME = Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\p{Cntrl}]");

    private final EngineClock clock;
    private final TaskResources resources;
    private final String region;
    private final String accountId;
    private final Map<String, StateMachine> stateMachines = new ConcurrentHashMap<>();
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final TaskTokens tokens;
    private final List<Consumer<ExecutionDescription>> statusListeners = new CopyOnWriteArrayList<>();

    private record StateMachine(String arn, String name, StateMachineDefinition definition, Instant created) {
    }

    /** An engine for region {@code us-east-1} and account {@code 123456789012}. */
    public StepFunctionsEngine(EngineClock clock, TaskResources resources) {
        this(clock, resources, "us-east-1", "123456789012");
    }

    /** An engine whose ARNs name the given region and account. */
    public StepFunctionsEngine(EngineClock clock, TaskResources resources, String region, String accountId) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.resources = Objects.requireNonNull(resources, "resources");
        this.region = region;
        this.accountId = accountId;
        this.tokens = new TaskTokens(clock);
    }

    /** The clock every execution runs on (share it with simulated services). */
    public EngineClock clock() {
        return clock;
    }

    /**
     * Calls {@code listener} each time an execution starts, is redriven or ends, with its description
     * — what EventBridge's "Step Functions Execution Status Change" events carry. Listeners hear of
     * an end before {@link #awaitCompletion} returns; they run on the engine's threads, with the
     * execution locked, so they must return quickly and not wait for other executions. An exception
     * they throw goes to the thread's uncaught-exception handler.
     */
    public void onStatusChange(Consumer<ExecutionDescription> listener) {
        statusListeners.add(listener);
    }

    /**
     * Creates (or, with an identical definition, returns) a state machine.
     *
     * @return its ARN, {@code arn:aws:states:<region>:<account>:stateMachine:<name>}
     * @throws ExecutionException {@code StateMachineAlreadyExists} if the name has another definition
     */
    public String createStateMachine(String name, StateMachineDefinition definition) {
        checkName(name);
        String arn = "arn:aws:states:" + region + ":" + accountId + ":stateMachine:" + name;
        StateMachine machine = stateMachines.computeIfAbsent(arn,
                key -> new StateMachine(arn, name, definition, clock.now()));
        if (!machine.definition().json().equals(definition.json())) {
            throw new ExecutionException("StateMachineAlreadyExists", "State machine already exists: " + arn);
        }
        return arn;
    }

    /** Replaces a state machine's definition; running executions keep the one they started with. */
    public void updateStateMachine(String stateMachineArn, StateMachineDefinition definition) {
        StateMachine machine = machine(stateMachineArn);
        stateMachines.put(stateMachineArn, new StateMachine(machine.arn(), machine.name(), definition, machine.created()));
    }

    /** ListStateMachines: every state machine, sorted by name. */
    public List<StateMachineSummary> listStateMachines() {
        return stateMachines.values().stream()
                .map(machine -> new StateMachineSummary(machine.arn(), machine.name(), machine.created()))
                .sorted(Comparator.comparing(StateMachineSummary::name)).toList();
    }

    /** DescribeStateMachine's identity of one state machine. */
    public StateMachineSummary describeStateMachine(String stateMachineArn) {
        StateMachine machine = machine(stateMachineArn);
        return new StateMachineSummary(machine.arn(), machine.name(), machine.created());
    }

    /** The definition of a state machine. */
    public StateMachineDefinition definition(String stateMachineArn) {
        return machine(stateMachineArn).definition();
    }

    /**
     * Starts an execution (StartExecution). As for Standard workflows, starting again with the name
     * and input of a running execution returns that execution; any other reuse of a name is refused.
     *
     * @param name  the execution name, or {@code null} for a generated one
     * @param input JSON text; {@code null} or blank means {@code {}}
     * @return the execution ARN
     * @throws ExecutionException {@code ExecutionAlreadyExists}, {@code InvalidName},
     *                            {@code InvalidExecutionInput} or {@code StateMachineDoesNotExist}
     */
    public String startExecution(String stateMachineArn, String name, String input) {
        StateMachine machine = machine(stateMachineArn);
        String executionName = name == null ? UUID.randomUUID().toString() : name;
        checkName(executionName);
        JsonNode inputNode;
        try {
            inputNode = Json.parse(input);
        } catch (IllegalArgumentException e) {
            throw new ExecutionException("InvalidExecutionInput", "Invalid execution input: " + e.getMessage());
        }
        String arn = "arn:aws:states:" + region + ":" + accountId + ":execution:" + machine.name() + ":" + executionName;
        Execution execution;
        synchronized (executions) {
            Execution existing = executions.get(arn);
            if (existing != null) {
                // StartExecution is idempotent for a running execution with the same name and input.
                if (existing.isRunning() && existing.input.equals(inputNode)) {
                    return arn;
                }
                throw new ExecutionException("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
            }
            execution = new Execution(arn, executionName, machine.arn(), machine.name(), machine.definition(),
                    inputNode, clock.now());
            executions.put(arn, execution);
        }
        ObjectNode started = Json.MAPPER.createObjectNode();
        started.put("input", Json.write(inputNode));
        started.putObject("inputDetails").put("truncated", false);
        started.put("roleArn", roleArn());
        execution.record(new Execution.Lane(0), clock.now(), "ExecutionStarted", "executionStartedEventDetails", started);
        // The caller may not be a participant of a simulated clock: until the execution thread is busy,
        // nothing else would stop time from jumping straight to the execution's own timeout.
        try (EngineClock.Activity starting = clock.beginActivity()) {
            Integer timeout = machine.definition().timeoutSeconds();
            if (timeout != null) {
                execution.setTimeoutAction(clock.schedule(execution.startDate.plusSeconds(timeout),
                        () -> timeOut(execution)));
            }
            StateGraph graph = machine.definition().graph();
            statusChanged(execution.describe());
            launch(execution, new Execution.Lane(execution.lastEventId()), graph.startAt(), inputNode,
                    new Variables(null));
        }
        return arn;
    }

    /** DescribeExecution. */
    public ExecutionDescription describeExecution(String executionArn) {
        return execution(executionArn).describe();
    }

    /** ListExecutions of one state machine, newest first. */
    public List<ExecutionDescription> listExecutions(String stateMachineArn) {
        List<ExecutionDescription> list = new ArrayList<>();
        for (Execution execution : executions.values()) {
            if (execution.stateMachineArn.equals(stateMachineArn)) {
                list.add(execution.describe());
            }
        }
        list.sort(Comparator.comparing(ExecutionDescription::startDate).reversed());
        return list;
    }

    /** GetExecutionHistory: every event so far, oldest first. */
    public List<HistoryEvent> getExecutionHistory(String executionArn) {
        return execution(executionArn).history();
    }

    /**
     * StopExecution: the execution becomes ABORTED at once and its running states are interrupted.
     * Stopping an execution that already ended changes nothing.
     */
    public ExecutionDescription stopExecution(String executionArn, String error, String cause) {
        Execution execution = execution(executionArn);
        Instant now = clock.now();
        ObjectNode details = Json.MAPPER.createObjectNode();
        if (error != null) {
            details.put("error", error);
        }
        if (cause != null) {
            details.put("cause", cause);
        }
        if (execution.finish(ExecutionStatus.ABORTED, now, null, error, cause, null, "ExecutionAborted",
                "executionAbortedEventDetails", details, this::statusChanged)) {
            execution.interrupt(ExecutionStatus.ABORTED);
        }
        return execution.describe();
    }

    /**
     * RedriveExecution: restarts a FAILED, TIMED_OUT or ABORTED execution at the top-level state that
     * did not succeed, with the input and variables it had then. A Parallel or Map state is rerun
     * whole (AWS reruns only its unsuccessful branches or iterations).
     *
     * @throws ExecutionException {@code ExecutionNotRedrivable} for a running or succeeded execution
     */
    public void redriveExecution(String executionArn) {
        Execution execution = execution(executionArn);
        Execution.RedrivePoint point = execution.redrivePoint();
        ExecutionStatus status = execution.status();
        if (status == ExecutionStatus.RUNNING || status == ExecutionStatus.SUCCEEDED || point == null) {
            throw new ExecutionException("ExecutionNotRedrivable", "Execution " + executionArn + " is " + status
                    + " and cannot be redriven");
        }
        execution.restartForRedrive(clock.now());
        ObjectNode details = Json.MAPPER.createObjectNode();
        details.put("redriveCount", execution.redriveCount());
        execution.record(new Execution.Lane(execution.lastEventId()), clock.now(), "ExecutionRedriven",
                "executionRedrivenEventDetails", details);
        Variables variables = new Variables(null);
        variables.assignAll(point.variables());
        statusChanged(execution.describe());
        launch(execution, new Execution.Lane(execution.lastEventId()), point.stateName(), point.input(), variables);
    }

    /**
     * Waits (in real time) until the execution ends or {@code timeout} passes, then describes it.
     * Use it from tests and the CLI, not from a task handler.
     */
    public ExecutionDescription awaitCompletion(String executionArn, Duration timeout) throws InterruptedException {
        return execution(executionArn).awaitEnd(timeout.toMillis());
    }

    /**
     * SendTaskSuccess for a {@code .waitForTaskToken} task.
     *
     * @throws TaskTokenException {@code TaskDoesNotExist}, {@code TaskTimedOut} or {@code InvalidOutput}
     */
    public void sendTaskSuccess(String taskToken, String output) {
        JsonNode node;
        try {
            node = Json.parse(output);
        } catch (IllegalArgumentException e) {
            throw new TaskTokenException("InvalidOutput", "The task output is not valid JSON: " + e.getMessage());
        }
        tokens.succeed(taskToken, node);
    }

    /** SendTaskFailure for a {@code .waitForTaskToken} task: the task fails with {@code error}/{@code cause}. */
    public void sendTaskFailure(String taskToken, String error, String cause) {
        tokens.fail(taskToken, error, cause);
    }

    /** SendTaskHeartbeat: restarts the task's HeartbeatSeconds countdown. */
    public void sendTaskHeartbeat(String taskToken) {
        tokens.heartbeat(taskToken);
    }

    /** Stops every running execution. */
    @Override
    public void close() {
        for (Execution execution : executions.values()) {
            if (execution.isRunning()) {
                stopExecution(execution.arn, "States.Aborted", "The engine was closed");
            }
        }
    }

    // ---- used by the interpreter ----

    TaskResources resources() {
        return resources;
    }

    String region() {
        return region;
    }

    String roleArn() {
        return "arn:aws:iam::" + accountId + ":role/deckhand-local-execution";
    }

    /**
     * The state machine whose execution a task token belongs to (also after its task ended): what IAM
     * authorizes SendTaskSuccess/Failure/Heartbeat on (the local cloud's IAM asks it).
     */
    public Optional<String> stateMachineOfTaskToken(String taskToken) {
        return tokens.stateMachineOf(taskToken);
    }

    TaskTokens taskTokens() {
        return tokens;
    }

    // ---- internals ----

    private void launch(Execution execution, Execution.Lane lane, String startAt, JsonNode input, Variables variables) {
        EngineClock.Activity activity = clock.beginActivity();
        EngineThreads.start(execution, "deckhand-sfn-" + execution.name, () -> {
            try {
                run(execution, lane, startAt, input, variables);
            } finally {
                activity.close();
            }
        });
    }

    private void run(Execution execution, Execution.Lane lane, String startAt, JsonNode input, Variables variables) {
        Interpreter interpreter = new Interpreter(this, clock, execution);
        try {
            JsonNode output = interpreter.runGraph(execution.definition.graph(), startAt, input, variables, lane, true);
            ObjectNode details = Json.MAPPER.createObjectNode();
            details.put("output", Json.write(output));
            details.putObject("outputDetails").put("truncated", false);
            execution.finish(ExecutionStatus.SUCCEEDED, clock.now(), output, null, null, lane,
                    "ExecutionSucceeded", "executionSucceededEventDetails", details, this::statusChanged);
        } catch (Interpreter.Interrupted e) {
            // Stopped or timed out: the party that interrupted has already ended the execution.
            Thread.interrupted();
        } catch (StatesError e) {
            failExecution(execution, lane, e.error(), e.cause());
        } catch (RuntimeException e) {
            failExecution(execution, lane, StatesError.RUNTIME, "Internal engine error: " + e);
        }
    }

    private void failExecution(Execution execution, Execution.Lane lane, String error, String cause) {
        ObjectNode details = Json.MAPPER.createObjectNode();
        if (error != null) {
            details.put("error", error);
        }
        if (cause != null) {
            details.put("cause", cause);
        }
        execution.finish(ExecutionStatus.FAILED, clock.now(), null, error, cause, lane, "ExecutionFailed",
                "executionFailedEventDetails", details, this::statusChanged);
    }

    private void timeOut(Execution execution) {
        Instant now = clock.now();
        String cause = "The execution did not complete within the state machine's TimeoutSeconds";
        ObjectNode details = Json.MAPPER.createObjectNode();
        details.put("error", StatesError.TIMEOUT);
        details.put("cause", cause);
        if (execution.finish(ExecutionStatus.TIMED_OUT, now, null, StatesError.TIMEOUT, cause, null,
                "ExecutionTimedOut", "executionTimedOutEventDetails", details, this::statusChanged)) {
            execution.interrupt(ExecutionStatus.TIMED_OUT);
        }
    }

    private void statusChanged(ExecutionDescription description) {
        for (Consumer<ExecutionDescription> listener : statusListeners) {
            try {
                listener.accept(description);
            } catch (RuntimeException e) {
                Thread current = Thread.currentThread();
                current.getUncaughtExceptionHandler().uncaughtException(current, e);
            }
        }
    }

    private StateMachine machine(String arn) {
        StateMachine machine = stateMachines.get(arn);
        if (machine == null) {
            throw new ExecutionException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        return machine;
    }

    private Execution execution(String arn) {
        Execution execution = executions.get(arn);
        if (execution == null) {
            throw new ExecutionException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        }
        return execution;
    }

    private static void checkName(String name) {
        if (name.isEmpty() || name.length() > 80 || INVALID_NAME.matcher(name).find()) {
            throw new ExecutionException("InvalidName", "Invalid Name: '" + name
                    + "' (1-80 characters, no whitespace, brackets, wildcards or special characters)");
        }
    }

}
