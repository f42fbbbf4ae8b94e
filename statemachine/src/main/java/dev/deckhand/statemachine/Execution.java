package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.statemachine.clock.EngineClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The mutable record of one execution: status, history and what a redrive needs. */
final class Execution {

    /** Where a redrive resumes: the top-level state that failed, its input and the variables then. */
    record RedrivePoint(String stateName, JsonNode input, Map<String, JsonNode> variables) {
    }

    /** The chain of events of one branch of work, for previousEventId. */
    static final class Lane {
        private long lastEventId;

        Lane(long lastEventId) {
            this.lastEventId = lastEventId;
        }

        Lane fork() {
            return new Lane(lastEventId);
        }
    }

    final String arn;
    final String name;
    final String stateMachineArn;
    final String stateMachineName;
    final StateMachineDefinition definition;
    final JsonNode input;
    /** The input as DescribeExecution answers it, written once: describing is frequent (ListExecutions). */
    private final String inputText;
    final Instant startDate;
    final Set<EngineThreads.Worker> workers = ConcurrentHashMap.newKeySet();

    private final List<HistoryEvent> history = new ArrayList<>();
    private ExecutionStatus status = ExecutionStatus.RUNNING;
    private Instant stopDate;
    /** The output as DescribeExecution answers it, written once when the execution ends. */
    private String outputText;
    private String error;
    private String cause;
    private int redriveCount;
    private Instant redriveDate;
    private RedrivePoint redrivePoint;
    private volatile ExecutionStatus interruptedAs;
    private EngineClock.Activity timeoutAction;

    Execution(String arn, String name, String stateMachineArn, String stateMachineName,
              StateMachineDefinition definition, JsonNode input, Instant startDate) {
        this.arn = arn;
        this.name = name;
        this.stateMachineArn = stateMachineArn;
        this.stateMachineName = stateMachineName;
        this.definition = definition;
        this.input = input;
        this.inputText = Json.write(input);
        this.startDate = startDate;
    }

    synchronized HistoryEvent record(Lane lane, Instant timestamp, String type, String detailsField,
                                     ObjectNode details) {
        HistoryEvent event = new HistoryEvent(history.size() + 1L, lane.lastEventId, timestamp, type, detailsField,
                details);
        history.add(event);
        lane.lastEventId = event.id();
        return event;
    }

    synchronized List<HistoryEvent> history() {
        return List.copyOf(history);
    }

    synchronized long lastEventId() {
        return history.size();
    }

    synchronized boolean isRunning() {
        return status == ExecutionStatus.RUNNING;
    }

    synchronized ExecutionStatus status() {
        return status;
    }

    /**
     * Ends the execution once, recording its closing event before anyone waiting sees the new status;
     * later attempts (e.g. a stop racing a failure) are ignored.
     */
    synchronized boolean finish(ExecutionStatus finalStatus, Instant at, JsonNode finalOutput, String finalError,
                                String finalCause, Lane lane, String eventType, String detailsField,
                                ObjectNode details, Consumer<ExecutionDescription> onEnd) {
        if (status != ExecutionStatus.RUNNING) {
            return false;
        }
        record(lane == null ? new Lane(history.size()) : lane, at, eventType, detailsField, details);
        status = finalStatus;
        stopDate = at;
        outputText = finalOutput == null ? null : Json.write(finalOutput);
        error = finalError;
        cause = finalCause;
        if (timeoutAction != null) {
            timeoutAction.close();
        }
        // Status listeners hear of the end before anyone waiting for it wakes up.
        onEnd.accept(describe());
        notifyAll();
        return true;
    }

    synchronized void restartForRedrive(Instant at) {
        redriveDate = at;
        status = ExecutionStatus.RUNNING;
        stopDate = null;
        outputText = null;
        error = null;
        cause = null;
        interruptedAs = null;
        redriveCount++;
    }

    synchronized void setTimeoutAction(EngineClock.Activity action) {
        this.timeoutAction = action;
    }

    synchronized void setRedrivePoint(RedrivePoint point) {
        this.redrivePoint = point;
    }

    synchronized RedrivePoint redrivePoint() {
        return redrivePoint;
    }

    synchronized int redriveCount() {
        return redriveCount;
    }

    /** Marks the execution as being stopped (ABORTED) or timed out and interrupts its workers. */
    void interrupt(ExecutionStatus as) {
        interruptedAs = as;
        workers.forEach(EngineThreads.Worker::interrupt);
    }

    ExecutionStatus interruptedAs() {
        return interruptedAs;
    }

    synchronized ExecutionDescription describe() {
        return new ExecutionDescription(arn, stateMachineArn, name, status, startDate, stopDate, inputText,
                outputText, error, cause, redriveCount, redriveDate);
    }

    synchronized ExecutionDescription awaitEnd(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (status == ExecutionStatus.RUNNING) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return describe();
    }
}
