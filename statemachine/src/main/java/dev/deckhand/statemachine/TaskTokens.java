package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.statemachine.clock.EngineClock;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The task tokens of {@code .waitForTaskToken} tasks: token → the task waiting for its callback
 * (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat), and the tokens whose task has ended.
 */
final class TaskTokens {

    private final EngineClock clock;
    private final Map<String, PendingTask> tasks = new ConcurrentHashMap<>();
    /** Token → state machine of the tokens whose task has ended (a late callback still names its owner). */
    private final Map<String, String> closedTokens = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    TaskTokens(EngineClock clock) {
        this.clock = clock;
    }

    /** A new, unguessable token whose task, in an execution of {@code stateMachineArn}, waits from now on. */
    String issue(String stateMachineArn) {
        byte[] bytes = new byte[48];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tasks.put(token, new PendingTask(clock.newSignal(), clock.now(), stateMachineArn));
        return token;
    }

    /**
     * The state machine of the execution whose task waits, or waited, for {@code token} (a token
     * names its execution on AWS too, so a late callback is authorized on it); empty for a token
     * this engine never issued.
     */
    Optional<String> stateMachineOf(String token) {
        PendingTask task = tasks.get(token);
        return task != null ? Optional.of(task.stateMachineArn) : Optional.ofNullable(closedTokens.get(token)).filter(arn -> !arn.isEmpty());
    }

    /**
     * Waits on the clock for the token's callback: returns the output of a success, throws the error
     * of a failure, or States.Timeout / States.HeartbeatTimeout when {@code deadline} or the
     * heartbeat interval passes first.
     */
    JsonNode await(String token, Instant deadline, Long heartbeatSeconds) {
        PendingTask task = tasks.get(token);
        while (true) {
            EngineClock.Signal signal;
            Instant heartbeatDeadline;
            synchronized (task) {
                if (task.done) {
                    if (task.failure != null) {
                        throw task.failure;
                    }
                    return task.output;
                }
                signal = task.signal;
                heartbeatDeadline = heartbeatSeconds == null ? null : task.lastHeartbeat.plusSeconds(heartbeatSeconds);
            }
            Instant wakeAt = earliest(deadline, heartbeatDeadline);
            boolean raised;
            try {
                raised = clock.await(signal, wakeAt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Interpreter.Interrupted();
            }
            if (!raised) {
                Instant now = clock.now();
                if (deadline != null && !now.isBefore(deadline)) {
                    throw new StatesError(StatesError.TIMEOUT, "The task did not complete within its TimeoutSeconds");
                }
                if (heartbeatDeadline != null && !now.isBefore(heartbeatDeadline)) {
                    synchronized (task) {
                        if (!task.done && !task.lastHeartbeat.plusSeconds(heartbeatSeconds).isAfter(now)) {
                            throw new StatesError(StatesError.HEARTBEAT_TIMEOUT,
                                    "No heartbeat was received within " + heartbeatSeconds + " seconds");
                        }
                    }
                }
            }
        }
    }

    /** The token's task has ended: later callbacks answer TaskTimedOut. */
    void close(String token) {
        PendingTask closed = tasks.remove(token);
        closedTokens.put(token, closed == null ? "" : closed.stateMachineArn);
    }

    /** SendTaskSuccess with output already parsed. */
    void succeed(String token, JsonNode output) {
        pending(token).complete(output, null);
    }

    /** SendTaskFailure. */
    void fail(String token, String error, String cause) {
        pending(token).complete(null, new StatesError(error, cause));
    }

    /** SendTaskHeartbeat. */
    void heartbeat(String token) {
        pending(token).heartbeat(clock.now(), clock.newSignal());
    }

    private PendingTask pending(String token) {
        PendingTask task = tasks.get(token);
        if (task == null) {
            if (closedTokens.containsKey(token)) {
                throw new TaskTokenException("TaskTimedOut", "Task Timed Out: the task of this token has already ended");
            }
            throw new TaskTokenException("TaskDoesNotExist", "Task Does Not Exist: unknown task token");
        }
        return task;
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isBefore(b) ? a : b;
    }

    /** A {@code .waitForTaskToken} task waiting for its callback. */
    private static final class PendingTask {
        EngineClock.Signal signal;
        Instant lastHeartbeat;
        boolean done;
        JsonNode output;
        StatesError failure;

        final String stateMachineArn;

        PendingTask(EngineClock.Signal signal, Instant started, String stateMachineArn) {
            this.signal = signal;
            this.lastHeartbeat = started;
            this.stateMachineArn = stateMachineArn;
        }

        void complete(JsonNode result, StatesError error) {
            EngineClock.Signal toRaise;
            synchronized (this) {
                if (done) {
                    throw new TaskTokenException("TaskTimedOut", "Task Timed Out: the task has already completed");
                }
                done = true;
                output = result;
                failure = error;
                toRaise = signal;
            }
            toRaise.raise();
        }

        void heartbeat(Instant now, EngineClock.Signal fresh) {
            EngineClock.Signal toRaise;
            synchronized (this) {
                if (done) {
                    throw new TaskTokenException("TaskTimedOut", "Task Timed Out: the task has already completed");
                }
                lastHeartbeat = now;
                toRaise = signal;
                signal = fresh;
            }
            toRaise.raise();
        }
    }
}
