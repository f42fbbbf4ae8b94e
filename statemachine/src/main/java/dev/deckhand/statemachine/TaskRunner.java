package dev.deckhand.statemachine;

import static dev.deckhand.statemachine.JsonPathDataFlow.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.statemachine.clock.EngineClock;
import dev.deckhand.statemachine.jsonata.JsonataExpressions;
import dev.deckhand.statemachine.jsonpath.PathScope;
import java.time.Instant;
import java.util.Map;

/**
 * Runs one Task state's resource: the TaskScheduled/Started/Submitted/Succeeded/Failed/TimedOut
 * events, TimeoutSeconds and HeartbeatSeconds, and the three integration patterns
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html); task tokens are
 * the engine's.
 */
final class TaskRunner {

    private final Interpreter interpreter;
    private final StepFunctionsEngine engine;
    private final EngineClock clock;
    private final Execution execution;

    TaskRunner(Interpreter interpreter, StepFunctionsEngine engine, EngineClock clock, Execution execution) {
        this.interpreter = interpreter;
        this.engine = engine;
        this.clock = clock;
        this.execution = execution;
    }

    JsonNode run(State state, StateKind.Task task, JsonNode arguments, Map<String, JsonNode> bindings,
                 Execution.Lane lane, String token, PathScope pathScope) {
        String resource = task.resource();
        Long timeout = seconds(state, "TimeoutSeconds", task.timeoutSeconds(), task.timeoutSecondsPath(),
                bindings, pathScope);
        Long heartbeat = seconds(state, "HeartbeatSeconds", task.heartbeatSeconds(), task.heartbeatSecondsPath(),
                bindings, pathScope);
        ObjectNode scheduled = resourceDetails(task);
        scheduled.put("region", engine.region());
        scheduled.put("parameters", Json.write(arguments));
        if (timeout != null) {
            scheduled.put("timeoutInSeconds", timeout);
        }
        if (heartbeat != null) {
            scheduled.put("heartbeatInSeconds", heartbeat);
        }
        interpreter.record(lane, "TaskScheduled", "taskScheduledEventDetails", scheduled);
        TaskResource handler = engine.resources().find(resource).orElse(null);
        if (handler == null) {
            ObjectNode failed = resourceDetails(task);
            failed.put("error", StatesError.RUNTIME);
            failed.put("cause", "No task resource is registered for " + resource);
            interpreter.record(lane, "TaskStartFailed", "taskStartFailedEventDetails", failed);
            throw new StatesError(StatesError.RUNTIME, "No task resource is registered for " + resource
                    + " (state '" + state.name() + "')");
        }
        interpreter.record(lane, "TaskStarted", "taskStartedEventDetails", resourceDetails(task));
        Instant started = clock.now();
        Instant deadline = timeout == null ? null : started.plusSeconds(timeout);
        try {
            JsonNode result;
            TaskInvocation invocation = new TaskInvocation(resource, arguments, token, execution.arn, state.name());
            JsonNode returned = deadline == null ? invokeHandler(handler, invocation)
                    : clock.standsStillWhileBusy() ? invokeInlineBefore(handler, invocation, deadline, timeout)
                    : invokeBefore(handler, invocation, deadline, timeout);
            if (token != null) {
                ObjectNode submitted = resourceDetails(task);
                submitted.put("output", Json.write(returned == null ? Json.MAPPER.nullNode() : returned));
                interpreter.record(lane, "TaskSubmitted", "taskSubmittedEventDetails", submitted);
                result = engine.taskTokens().await(token, deadline, heartbeat);
            } else {
                result = returned == null ? Json.MAPPER.nullNode() : returned;
                if (deadline != null && clock.now().isAfter(deadline)) {
                    throw new StatesError(StatesError.TIMEOUT, "The task did not complete within " + timeout + " seconds");
                }
            }
            ObjectNode succeeded = resourceDetails(task);
            succeeded.put("output", Json.write(result));
            interpreter.record(lane, "TaskSucceeded", "taskSucceededEventDetails", succeeded);
            return result;
        } catch (StatesError e) {
            if (execution.interruptedAs() != null) {
                throw new Interpreter.Interrupted();
            }
            ObjectNode failed = resourceDetails(task);
            failed.put("error", e.error());
            if (e.cause() != null) {
                failed.put("cause", e.cause());
            }
            boolean timedOut = e.error().equals(StatesError.TIMEOUT) || e.error().equals(StatesError.HEARTBEAT_TIMEOUT);
            interpreter.record(lane, timedOut ? "TaskTimedOut" : "TaskFailed",
                    timedOut ? "taskTimedOutEventDetails" : "taskFailedEventDetails", failed);
            throw e;
        } finally {
            if (token != null) {
                engine.taskTokens().close(token);
            }
        }
    }

    /**
     * Runs a handler with TimeoutSeconds on the execution's own thread, under a clock that stands still
     * while it is busy: the deadline can only pass while the handler waits on the clock, and then a
     * timer interrupts that wait. Same outcome as {@link #invokeBefore}, without a thread per task.
     */
    private JsonNode invokeInlineBefore(TaskResource handler, TaskInvocation invocation, Instant deadline, Long timeout) {
        Thread self = Thread.currentThread();
        java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        EngineClock.Activity timer = clock.schedule(deadline, () -> {
            timedOut.set(true);
            clock.interrupt(self);
        });
        try {
            return invokeHandler(handler, invocation);
        } catch (Interpreter.Interrupted | StatesError e) {
            if (timedOut.get() && execution.interruptedAs() == null) {
                throw new StatesError(StatesError.TIMEOUT, "The task did not complete within " + timeout + " seconds");
            }
            throw e;
        } finally {
            timer.close();
            if (timedOut.get() && execution.interruptedAs() == null) {
                Thread.interrupted(); // the timer's interrupt was for the handler, not for the execution
            }
        }
    }

    /**
     * Runs a handler on a thread of its own so that TimeoutSeconds ends the task at its deadline even
     * when the handler blocks or waits on the clock (it is interrupted then). In simulated time a
     * handler that blocks without waiting on the clock holds time still, so only clock waits can
     * overrun.
     */
    private JsonNode invokeBefore(TaskResource handler, TaskInvocation invocation, Instant deadline, Long timeout) {
        EngineClock.Signal finished = clock.newSignal();
        JsonNode[] result = new JsonNode[1];
        RuntimeException[] failure = new RuntimeException[1];
        EngineClock.Activity activity = clock.beginActivity();
        EngineThreads.Worker worker = EngineThreads.start(execution,
                "deckhand-sfn-" + execution.name + "-task-" + invocation.stateName(), () -> {
            try {
                JsonNode value = invokeHandler(handler, invocation);
                synchronized (result) {
                    result[0] = value;
                }
            } catch (RuntimeException e) {
                synchronized (result) {
                    failure[0] = e;
                }
            } finally {
                finished.raise();
                activity.close();
            }
        });
        boolean done;
        try {
            done = clock.await(finished, deadline);
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new Interpreter.Interrupted();
        }
        if (!done) {
            worker.interrupt();
            throw new StatesError(StatesError.TIMEOUT, "The task did not complete within " + timeout + " seconds");
        }
        synchronized (result) {
            if (failure[0] != null) {
                throw failure[0];
            }
            return result[0];
        }
    }

    private JsonNode invokeHandler(TaskResource handler, TaskInvocation invocation) {
        try {
            return handler.invoke(invocation);
        } catch (StatesError e) {
            throw e instanceof Interpreter.HandlerError ? e : new Interpreter.HandlerError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Interpreter.Interrupted();
        } catch (Exception e) {
            if (execution.interruptedAs() != null) {
                throw new Interpreter.Interrupted();
            }
            throw new StatesError(StatesError.TASK_FAILED, e.getClass().getName() + ": " + e.getMessage());
        }
    }

    /** TimeoutSeconds or HeartbeatSeconds: a literal, a JSONata expression, or its {@code …Path} form. */
    private Long seconds(State state, String field, JsonNode literal, String path, Map<String, JsonNode> bindings,
                         PathScope pathScope) {
        JsonNode value = null;
        if (literal != null) {
            value = state.jsonata() && JsonataExpressions.isExpression(literal)
                    ? interpreter.evalJsonata(literal, bindings, field) : literal;
        } else if (path != null) {
            value = read(path, pathScope, field + "Path");
        }
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || value.asLong() <= 0) {
            throw new StatesError(StatesError.RUNTIME, field + " of state '" + state.name()
                    + "' must be a positive integer, got " + value);
        }
        return value.asLong();
    }

    private static ObjectNode resourceDetails(StateKind.Task task) {
        ObjectNode details = Json.MAPPER.createObjectNode();
        details.put("resourceType", task.resourceType());
        details.put("resource", task.resourceName());
        return details;
    }
}
