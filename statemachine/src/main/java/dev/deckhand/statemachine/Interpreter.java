package dev.deckhand.statemachine;

import static dev.deckhand.statemachine.JsonPathDataFlow.evaluateAssignJsonPath;
import static dev.deckhand.statemachine.JsonPathDataFlow.inputPath;
import static dev.deckhand.statemachine.JsonPathDataFlow.outputPath;
import static dev.deckhand.statemachine.JsonPathDataFlow.pathOrIntrinsic;
import static dev.deckhand.statemachine.JsonPathDataFlow.read;
import static dev.deckhand.statemachine.JsonPathDataFlow.resultPath;
import static dev.deckhand.statemachine.JsonPathDataFlow.template;
import static dev.deckhand.statemachine.JsonPathDataFlow.toMap;
import static dev.deckhand.statemachine.JsonataDataFlow.bindings;
import static dev.deckhand.statemachine.JsonataDataFlow.withContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.statemachine.clock.EngineClock;
import dev.deckhand.statemachine.jsonpath.JsonPaths;
import dev.deckhand.statemachine.jsonpath.PathScope;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Random;

/**
 * Runs the states of one execution, following the ASL specification
 * (https://states-language.net/spec.html) and the Step Functions developer guide for what the
 * specification leaves open. One instance per execution; branches and iterations run on threads
 * of their own, each a participant of the engine clock.
 */
final class Interpreter {

    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    static final int MAX_PAYLOAD_BYTES = 256 * 1024;
    private static final JsonNode EMPTY_CONTEXT = Json.MAPPER.createObjectNode();

    private final StepFunctionsEngine engine;
    private final EngineClock clock;
    private final Execution execution;
    private final Random jitter;

    /** Thrown when the execution is stopped or times out while a state runs. */
    static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super("execution interrupted", null, false, false);
        }
    }

    /** Where to go next ({@code null} at an end), with the state's output and the variables it assigned. */
    private record Transition(String next, JsonNode output, Map<String, JsonNode> assigned) {
        Transition(String next, JsonNode output) {
            this(next, output, Map.of());
        }
    }

    Interpreter(StepFunctionsEngine engine, EngineClock clock, Execution execution) {
        this.engine = engine;
        this.clock = clock;
        this.execution = execution;
        // Deterministic jitter per execution, so simulated runs repeat exactly.
        this.jitter = new Random(execution.arn.hashCode());
    }

    static String timestamp(Instant instant) {
        return ISO_MILLIS.format(instant);
    }

    /** Runs a graph from {@code startAt} to its end; the top level records redrive points. */
    JsonNode runGraph(StateGraph graph, String startAt, JsonNode input, Variables variables, Execution.Lane lane,
                      boolean topLevel) {
        String name = startAt;
        JsonNode current = input;
        while (true) {
            checkInterrupted();
            State state = graph.state(name);
            if (topLevel) {
                execution.setRedrivePoint(new Execution.RedrivePoint(name, current, variables.ownSnapshot()));
            }
            Transition transition = runState(state, current, variables, lane);
            if (transition.next() == null) {
                return transition.output();
            }
            name = transition.next();
            current = transition.output();
        }
    }

    private void checkInterrupted() {
        if (execution.interruptedAs() != null || Thread.currentThread().isInterrupted()) {
            throw new Interrupted();
        }
    }

    private Transition runState(State state, JsonNode input, Variables variables, Execution.Lane lane) {
        Instant entered = clock.now();
        String inputText = Json.write(input);
        long enteredId = execution.record(lane, clock.now(), state.type() + "StateEntered", "stateEnteredEventDetails",
                stateDetails(state.name(), "input", inputText)).id();
        checkInputSize(state, inputText);
        StatesError failed;
        try {
            StateKind kind = state.kind();
            if (kind instanceof StateKind.Pass pass) {
                return exit(state, lane, pass(state, pass, input, variables, entered));
            } else if (kind instanceof StateKind.Wait wait) {
                return exit(state, lane, waitState(state, wait, input, variables, entered));
            } else if (kind instanceof StateKind.Choice choice) {
                return exit(state, lane, choice(state, choice, input, variables, entered));
            } else if (kind instanceof StateKind.Succeed) {
                return exit(state, lane, new Transition(null, succeed(state, input, variables, entered)));
            } else if (kind instanceof StateKind.Fail fail) {
                failed = fail(state, fail, input, variables, entered);
            } else {
                return withRetryAndCatch(state, input, variables, lane, entered, enteredId); // Task, Parallel, Map
            }
        } catch (StatesError e) {
            throw located(state, enteredId, e);
        }
        throw failed; // a Fail state's own Error and Cause, as written
    }

    private static final String LOCATED = "An error occurred while executing the state '";

    /**
     * An error the engine raised while processing a state's data (a path, an expression, an intrinsic,
     * ResultPath) carries AWS's preamble, e.g. "An error occurred while executing the state 'Check
     * Address' (entered at the event id #7). The JSONPath '$.application.address' specified for the
     * field 'address.$' could not be found in the input '{"flagged":false}'" (AWS Step Functions
     * workshop, "Error handling"; users search for these). Errors of tasks and Fail states keep theirs.
     */
    private static StatesError located(State state, long enteredId, StatesError e) {
        boolean dataFlow = switch (e.error()) {
            case StatesError.RUNTIME, StatesError.QUERY_EVALUATION_ERROR, StatesError.INTRINSIC_FAILURE,
                    StatesError.RESULT_PATH_MATCH_FAILURE, StatesError.PARAMETER_PATH_FAILURE -> true;
            default -> false;
        };
        if (!dataFlow || e.cause() == null || e.cause().startsWith(LOCATED) || e instanceof HandlerError) {
            return e;
        }
        return new StatesError(e.error(), LOCATED + state.name() + "' (entered at the event id #" + enteredId + "). "
                + e.cause());
    }

    /** A StatesError a task handler threw: its cause is the handler's, never rewritten. */
    static final class HandlerError extends StatesError {
        private static final long serialVersionUID = 1L;

        HandlerError(StatesError e) {
            super(e.error(), e.cause());
        }
    }

    private Transition exit(State state, Execution.Lane lane, Transition transition) {
        String outputText = Json.write(transition.output());
        checkOutputSize(state, outputText);
        recordExit(state, lane, transition, outputText);
        String next = state.end() || state.kind() instanceof StateKind.Succeed ? null : transition.next();
        return new Transition(next, transition.output());
    }

    private void recordExit(State state, Execution.Lane lane, Transition transition, String outputText) {
        ObjectNode details = stateDetails(state.name(), "output", outputText);
        if (!transition.assigned().isEmpty()) {
            ObjectNode variables = details.putObject("assignedVariables");
            transition.assigned().forEach((key, value) -> variables.put(key, Json.write(value)));
            details.putObject("assignedVariablesDetails").put("truncated", false);
        }
        record(lane, state.type() + "StateExited", "stateExitedEventDetails", details);
    }

    // ---- Pass, Wait, Choice, Succeed, Fail ----

    private Transition pass(State state, StateKind.Pass pass, JsonNode input, Variables variables, Instant entered) {
        JsonNode context = context(state, entered, 0, null);
        if (state.jsonata()) {
            Map<String, JsonNode> bindings = bindings(input, null, null, context, variables);
            JsonNode output = state.f().output() != null ? evalJsonata(state.f().output(), bindings, "Output") : input;
            return new Transition(StateFields.text(state.f().next()), output, assign(state.f().assign(), bindings, variables));
        }
        JsonNode effective = inputPath(state, input, context, variables);
        JsonNode result = pass.result() != null ? pass.result()
                : state.f().parameters() != null ? template(state.f().parameters(), effective, context, variables, "Parameters")
                : effective;
        Map<String, JsonNode> assigned = evaluateAssignJsonPath(state.f().assign(), result, context, variables);
        JsonNode output = outputPath(state, JsonPaths.applyResultPath(input, resultPath(state), result), context, variables);
        variables.assignAll(assigned);
        return new Transition(StateFields.text(state.f().next()), output, assigned);
    }

    private Transition waitState(State state, StateKind.Wait wait, JsonNode input, Variables variables,
                                 Instant entered) {
        JsonNode context = context(state, entered, 0, null);
        Instant until;
        JsonNode output;
        if (state.jsonata()) {
            Map<String, JsonNode> bindings = bindings(input, null, null, context, variables);
            until = waitUntil(state, wait.seconds() != null ? evalJsonata(wait.seconds(), bindings, "Seconds") : null,
                    wait.timestamp() != null ? evalJsonata(wait.timestamp(), bindings, "Timestamp") : null, entered);
            output = state.f().output() != null ? evalJsonata(state.f().output(), bindings, "Output") : input;
            // Assign and Output are evaluated on entry but take effect when the state exits.
            Map<String, JsonNode> assigned = evaluateAssign(state.f().assign(), bindings);
            sleepUntil(until);
            variables.assignAll(assigned);
            return new Transition(StateFields.text(state.f().next()), output, assigned);
        }
        JsonNode effective = inputPath(state, input, context, variables);
        PathScope scope = new PathScope(effective, context, variables.visible());
        JsonNode seconds = wait.seconds() != null ? wait.seconds()
                : wait.secondsPath() != null ? read(wait.secondsPath(), scope, "SecondsPath") : null;
        JsonNode timestamp = wait.timestamp() != null ? wait.timestamp()
                : wait.timestampPath() != null ? read(wait.timestampPath(), scope, "TimestampPath") : null;
        until = waitUntil(state, seconds, timestamp, entered);
        Map<String, JsonNode> assigned = evaluateAssignJsonPath(state.f().assign(), effective, context, variables);
        sleepUntil(until);
        variables.assignAll(assigned);
        return new Transition(StateFields.text(state.f().next()), outputPath(state, effective, context, variables), assigned);
    }

    private Instant waitUntil(State state, JsonNode seconds, JsonNode timestamp, Instant entered) {
        if (seconds != null) {
            if (!seconds.isIntegralNumber() || seconds.asLong() < 0) {
                throw new StatesError(state.jsonata() ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME,
                        "The Seconds of Wait state '" + state.name() + "' must be a non-negative integer, got " + seconds);
            }
            return entered.plusSeconds(seconds.asLong());
        }
        if (timestamp == null || !timestamp.isTextual()) {
            throw new StatesError(state.jsonata() ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME,
                    "The Timestamp of Wait state '" + state.name() + "' must be an ISO-8601 string, got " + timestamp);
        }
        Instant at = parseTimestamp(timestamp.asText());
        if (at == null) {
            throw new StatesError(state.jsonata() ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME,
                    "The Timestamp of Wait state '" + state.name() + "' is not an ISO-8601 timestamp: " + timestamp.asText());
        }
        return at;
    }

    private void sleepUntil(Instant until) {
        try {
            clock.sleepUntil(until);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Interrupted();
        }
    }

    private Transition choice(State state, StateKind.Choice choice, JsonNode input, Variables variables,
                              Instant entered) {
        JsonNode context = context(state, entered, 0, null);
        if (state.jsonata()) {
            Map<String, JsonNode> bindings = bindings(input, null, null, context, variables);
            for (StateKind.ChoiceRule rule : choice.rules()) {
                JsonNode condition = evalJsonata(rule.condition(), bindings, "Condition");
                if (!condition.isBoolean()) {
                    throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The Condition of a Choice rule in state '"
                            + state.name() + "' returned " + condition + ", not a boolean");
                }
                if (condition.asBoolean()) {
                    JsonNode outputTemplate = rule.output() != null ? rule.output() : state.f().output();
                    JsonNode output = outputTemplate == null ? input : evalJsonata(outputTemplate, bindings, "Output");
                    return new Transition(rule.next(), output,
                            assign(rule.assign() != null ? rule.assign() : state.f().assign(), bindings, variables));
                }
            }
            String fallback = defaultOrFail(state, choice);
            JsonNode output = state.f().output() != null ? evalJsonata(state.f().output(), bindings, "Output") : input;
            return new Transition(fallback, output, assign(state.f().assign(), bindings, variables));
        }
        JsonNode effective = inputPath(state, input, context, variables);
        PathScope scope = new PathScope(effective, context, variables.visible());
        for (StateKind.ChoiceRule rule : choice.rules()) {
            if (rule.comparison().matches(scope)) {
                Map<String, JsonNode> assigned = evaluateAssignJsonPath(
                        rule.assign() != null ? rule.assign() : state.f().assign(), effective, context, variables);
                JsonNode output = outputPath(state, effective, context, variables);
                variables.assignAll(assigned);
                return new Transition(rule.next(), output, assigned);
            }
        }
        String fallback = defaultOrFail(state, choice);
        Map<String, JsonNode> assigned = evaluateAssignJsonPath(state.f().assign(), effective, context, variables);
        JsonNode output = outputPath(state, effective, context, variables);
        variables.assignAll(assigned);
        return new Transition(fallback, output, assigned);
    }

    private static String defaultOrFail(State state, StateKind.Choice choice) {
        if (choice.defaultState() == null) {
            throw new StatesError(StatesError.NO_CHOICE_MATCHED, "No Choice rule of state '" + state.name()
                    + "' matched and it has no Default");
        }
        return choice.defaultState();
    }

    private JsonNode succeed(State state, JsonNode input, Variables variables, Instant entered) {
        JsonNode context = context(state, entered, 0, null);
        if (state.jsonata()) {
            return state.f().output() != null
                    ? evalJsonata(state.f().output(), bindings(input, null, null, context, variables), "Output")
                    : input;
        }
        return outputPath(state, inputPath(state, input, context, variables), context, variables);
    }

    private StatesError fail(State state, StateKind.Fail fail, JsonNode input, Variables variables, Instant entered) {
        JsonNode context = context(state, entered, 0, null);
        String error;
        String cause;
        if (state.jsonata()) {
            Map<String, JsonNode> bindings = bindings(input, null, null, context, variables);
            error = fail.error() != null ? text(evalJsonata(fail.error(), bindings, "Error")) : null;
            cause = fail.cause() != null ? text(evalJsonata(fail.cause(), bindings, "Cause")) : null;
        } else {
            PathScope scope = new PathScope(input, context, variables.visible());
            error = fail.errorPath() != null ? text(pathOrIntrinsic(fail.errorPath(), scope, "ErrorPath"))
                    : StateFields.text(fail.error());
            cause = fail.causePath() != null ? text(pathOrIntrinsic(fail.causePath(), scope, "CausePath"))
                    : StateFields.text(fail.cause());
        }
        return new StatesError(error, cause);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.isTextual() ? node.asText() : Json.write(node);
    }

    // ---- Task, Parallel, Map with Retry and Catch ----

    private Transition withRetryAndCatch(State state, JsonNode input, Variables variables, Execution.Lane lane,
                                         Instant entered, long enteredId) {
        int[] attempts = new int[state.retriers().size()];
        int retryCount = 0;
        while (true) {
            checkInterrupted();
            Instant attemptEntered = retryCount == 0 ? entered : clock.now();
            try {
                return runOnce(state, input, variables, lane, attemptEntered, retryCount);
            } catch (Interrupted e) {
                throw e;
            } catch (StatesError thrown) {
                if (execution.interruptedAs() != null) {
                    throw new Interrupted();
                }
                StatesError e = located(state, enteredId, thrown);
                int index = ErrorMatching.firstMatch(state.retriers(), e.error());
                if (index >= 0 && attempts[index] < state.retriers().get(index).maxAttempts()) {
                    sleepUntil(clock.now().plus(backoff(state.retriers().get(index), attempts[index])));
                    attempts[index]++;
                    retryCount++;
                    continue;
                }
                State.Catcher catcher = ErrorMatching.firstCatcher(state.catchers(), e.error());
                if (catcher == null) {
                    throw e;
                }
                return caught(state, catcher, e, input, variables, lane, entered);
            }
        }
    }

    /**
     * The wait before retry number {@code attempt + 1}: IntervalSeconds × BackoffRate^attempt, capped
     * by MaxDelaySeconds, and with FULL jitter a random value up to that
     * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error).
     */
    Duration backoff(State.Retrier retrier, int attempt) {
        double seconds = retrier.intervalSeconds() * Math.pow(retrier.backoffRate(), attempt);
        if (retrier.maxDelaySeconds() != null) {
            seconds = Math.min(seconds, retrier.maxDelaySeconds());
        }
        if (retrier.fullJitter()) {
            seconds = seconds * jitter.nextDouble();
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private Transition caught(State state, State.Catcher catcher, StatesError e, JsonNode input, Variables variables,
                              Execution.Lane lane, Instant entered) {
        ObjectNode errorOutput = Json.errorOutput(e.error(), e.cause());
        JsonNode context = context(state, entered, 0, null);
        JsonNode output;
        Map<String, JsonNode> assigned;
        if (state.jsonata()) {
            Map<String, JsonNode> bindings = bindings(input, null, errorOutput, context, variables);
            output = catcher.output() != null ? evalJsonata(catcher.output(), bindings, "Output") : errorOutput;
            assigned = evaluateAssign(catcher.assign(), bindings);
        } else {
            output = JsonPaths.applyResultPath(input, catcher.resultPath() != null
                    ? catcher.resultPath() : Json.MAPPER.getNodeFactory().textNode("$"), errorOutput);
            assigned = catcher.assign() != null
                    ? toMap(template(catcher.assign(), errorOutput, context, variables, "Assign"))
                    : Map.of();
        }
        variables.assignAll(assigned);
        Transition transition = new Transition(catcher.next(), output, assigned);
        recordExit(state, lane, transition, Json.write(output));
        return transition;
    }

    private Transition runOnce(State state, JsonNode input, Variables variables, Execution.Lane lane, Instant entered,
                               int retryCount) {
        String token = state.kind() instanceof StateKind.Task task
                && task.pattern().kind() == IntegrationPattern.Kind.WAIT_FOR_TASK_TOKEN ? engine.taskTokens().issue(execution.stateMachineArn) : null;
        JsonNode context = context(state, entered, retryCount, token);
        if (state.jsonata()) {
            Map<String, JsonNode> bindings = bindings(input, null, null, context, variables);
            JsonNode arguments = state.f().arguments() != null ? evalJsonata(state.f().arguments(), bindings, "Arguments")
                    : input;
            JsonNode result = act(state, arguments, input, bindings, variables, lane, token, context);
            boolean shapes = state.f().output() != null || state.f().assign() != null;
            Map<String, JsonNode> withResult = shapes ? bindings(input, result, null, context, variables) : Map.of();
            JsonNode output = state.f().output() != null ? evalJsonata(state.f().output(), withResult, "Output")
                    : result;
            Map<String, JsonNode> assigned = evaluateAssign(state.f().assign(), withResult);
            variables.assignAll(assigned);
            return exit(state, lane, new Transition(StateFields.text(state.f().next()), output, assigned));
        }
        JsonNode effective = inputPath(state, input, context, variables);
        JsonNode arguments = !(state.kind() instanceof StateKind.Map) && state.f().parameters() != null
                ? template(state.f().parameters(), effective, context, variables, "Parameters")
                : effective;
        JsonNode result = act(state, arguments, effective, null, variables, lane, token, context);
        JsonNode selected = state.f().resultSelector() != null
                ? template(state.f().resultSelector(), result, context, variables, "ResultSelector")
                : result;
        Map<String, JsonNode> assigned = state.f().assign() != null
                ? toMap(template(state.f().assign(), selected, context, variables, "Assign"))
                : Map.of();
        JsonNode output = outputPath(state, JsonPaths.applyResultPath(input, resultPath(state), selected), context,
                variables);
        variables.assignAll(assigned);
        return exit(state, lane, new Transition(StateFields.text(state.f().next()), output, assigned));
    }

    private JsonNode act(State state, JsonNode arguments, JsonNode effective, Map<String, JsonNode> bindings,
                         Variables variables, Execution.Lane lane, String token, JsonNode context) {
        StateKind kind = state.kind();
        if (kind instanceof StateKind.Task task) {
            return new TaskRunner(this, engine, clock, execution).run(state, task, arguments, bindings, lane, token,
                    new PathScope(effective, context, variables.visible()));
        }
        if (kind instanceof StateKind.Parallel parallel) {
            return new ParallelStateRunner(this, clock, execution).run(parallel, arguments, variables, lane);
        }
        return new MapStateRunner(this, engine, clock, execution).run(state, (StateKind.Map) kind, arguments, bindings,
                variables, lane, context);
    }

    // ---- query languages: JsonPathDataFlow and JsonataDataFlow; these read the engine clock ----

    JsonNode evalJsonata(JsonNode template, Map<String, JsonNode> bindings, String field) {
        return JsonataDataFlow.evaluate(template, bindings, field, clock.now());
    }

    /** Evaluates a JSONata Assign against the values at state entry, then applies it; returns what it assigned. */
    private Map<String, JsonNode> assign(JsonNode assignTemplate, Map<String, JsonNode> bindings, Variables variables) {
        Map<String, JsonNode> assigned = evaluateAssign(assignTemplate, bindings);
        variables.assignAll(assigned);
        return assigned;
    }

    private Map<String, JsonNode> evaluateAssign(JsonNode assignTemplate, Map<String, JsonNode> bindings) {
        return JsonataDataFlow.evaluateAssign(assignTemplate, bindings, clock.now());
    }

    /** The context object (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html). */
    private JsonNode context(State state, Instant entered, int retryCount, String token) {
        if (!state.readsContext()) {
            return EMPTY_CONTEXT; // nothing in the state reads it: not worth building per state
        }
        ObjectNode context = Json.MAPPER.createObjectNode();
        ObjectNode executionNode = context.putObject("Execution");
        executionNode.put("Id", execution.arn);
        executionNode.set("Input", execution.input);
        executionNode.put("Name", execution.name);
        executionNode.put("RoleArn", engine.roleArn());
        executionNode.put("StartTime", timestamp(execution.startDate));
        executionNode.put("RedriveCount", execution.redriveCount());
        ObjectNode stateNode = context.putObject("State");
        stateNode.put("EnteredTime", timestamp(entered));
        stateNode.put("Name", state.name());
        stateNode.put("RetryCount", retryCount);
        ObjectNode machine = context.putObject("StateMachine");
        machine.put("Id", execution.stateMachineArn);
        machine.put("Name", execution.stateMachineName);
        if (token != null) {
            context.putObject("Task").put("Token", token);
        }
        return context;
    }

    /**
     * State input and output are limited to 256 KiB of UTF-8 text
     * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html, "Maximum input or output
     * size for a task, state, or execution"; API_StateEnteredEventDetails: input "Maximum length of 262144");
     * beyond that AWS fails with States.DataLimitExceeded, which States.ALL does not catch.
     * The output cause is AWS's own wording, naming a Task by its resource (as observed on AWS:
     * NASA-IMPACT/csdap-cumulus#296, "The state/task 'arn:aws:lambda:…' returned a result with a size
     * exceeding the maximum number of bytes service limit.").
     */
    private static void checkOutputSize(State state, String outputText) {
        if (exceedsPayloadLimit(outputText)) {
            String what = state.kind() instanceof StateKind.Task task ? task.resource() : state.name();
            throw new StatesError(StatesError.DATA_LIMIT_EXCEEDED, "The state/task '" + what
                    + "' returned a result with a size exceeding the maximum number of bytes service limit.");
        }
    }

    private static void checkInputSize(State state, String inputText) {
        if (exceedsPayloadLimit(inputText)) {
            throw new StatesError(StatesError.DATA_LIMIT_EXCEEDED, "The input of state '" + state.name()
                    + "' has a size exceeding the maximum number of bytes service limit.");
        }
    }

    /** Whether a text is over 256 KiB in UTF-8, counted without encoding it. */
    static boolean exceedsPayloadLimit(String text) {
        if (text.length() * 3L <= MAX_PAYLOAD_BYTES) {
            return false; // at most 3 UTF-8 bytes per UTF-16 unit
        }
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes > MAX_PAYLOAD_BYTES;
    }

    private static ObjectNode stateDetails(String name, String field, String valueText) {
        ObjectNode details = Json.MAPPER.createObjectNode();
        details.put("name", name);
        details.put(field, valueText);
        details.putObject(field + "Details").put("truncated", false);
        return details;
    }


    void record(Execution.Lane lane, String type, String detailsField, ObjectNode details) {
        execution.record(lane, clock.now(), type, detailsField, details);
    }

    static Instant parseTimestamp(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
