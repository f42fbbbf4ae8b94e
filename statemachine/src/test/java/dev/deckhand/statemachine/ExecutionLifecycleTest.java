package dev.deckhand.statemachine;

import static dev.deckhand.statemachine.EngineHarness.START;
import static dev.deckhand.statemachine.EngineHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** StartExecution, DescribeExecution, StopExecution, RedriveExecution and history, as the Step Functions API defines them. */
class ExecutionLifecycleTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private static final String WAIT_HOUR = """
            {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}""";

    /** Blocks the execution thread until released, so an execution stays RUNNING while the test acts. */
    private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

    private String blockingMachine() {
        harness.resources.register("arn:aws:states:::deckhand:block", invocation -> {
            release.await();
            return json("{}");
        });
        return harness.machine("""
                {"StartAt": "Block", "States": {"Block": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:block", "End": true}}}""");
    }

    @Test
    void describesAFinishedExecutionLikeDescribeExecution() {
        String machine = harness.machine(WAIT_HOUR);
        String arn = harness.engine.startExecution(machine, "first", "{\"a\": 1}");

        ExecutionDescription done = harness.await(arn);

        assertThat(arn).isEqualTo("arn:aws:states:us-east-1:123456789012:execution:machine-1:first");
        assertThat(done.stateMachineArn()).isEqualTo("arn:aws:states:us-east-1:123456789012:stateMachine:machine-1");
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(done.startDate()).isEqualTo(START);
        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(3600));
        assertThat(json(done.input())).isEqualTo(json("{\"a\": 1}"));
        assertThat(json(done.output())).isEqualTo(json("{\"a\": 1}"));
        assertThat(done.toJson().get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.toJson().get("stopDate").asDouble()).isEqualTo(START.plusSeconds(3600).getEpochSecond());
        assertThat(done.toJson().get("redriveStatus").asText()).isEqualTo("NOT_REDRIVABLE");
    }

    @Test
    void aNameIsUsedOnceButARunningStartWithTheSameInputIsIdempotent() {
        // API_StartExecution: idempotent for a running execution with the same name and input;
        // otherwise ExecutionAlreadyExists.
        String machine = blockingMachine();
        String arn = harness.engine.startExecution(machine, "deploy-1", "{\"v\": 1}");

        assertThat(harness.engine.startExecution(machine, "deploy-1", "{\"v\": 1}")).isEqualTo(arn);
        assertThatThrownBy(() -> harness.engine.startExecution(machine, "deploy-1", "{\"v\": 2}"))
                .isInstanceOfSatisfying(ExecutionException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("ExecutionAlreadyExists"));
        release.countDown();
        harness.await(arn);
        assertThatThrownBy(() -> harness.engine.startExecution(machine, "deploy-1", "{\"v\": 1}"))
                .isInstanceOfSatisfying(ExecutionException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("ExecutionAlreadyExists"));
    }

    @Test
    void anExecutionStartedWhileTheClockGoesIdleDoesNotJumpToItsOwnTimeout() {
        // The only other participant goes idle exactly while the execution is being started (as when
        // an EventBridge delivery starts it): time must not leap to the execution's TimeoutSeconds.
        dev.deckhand.statemachine.clock.EngineClock.Activity other = harness.clock.beginActivity();
        harness.engine.onStatusChange(description -> other.close());
        String machine = harness.machine("""
                {"TimeoutSeconds": 60, "StartAt": "W",
                 "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}}""");

        ExecutionDescription done = harness.await(harness.engine.startExecution(machine, "in-time", "{}"));

        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(5));
    }

    @Test
    void statusListenersSeeStartAndEndOfEachExecution() {
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        harness.engine.onStatusChange(description -> seen.add(description.name() + ":" + description.status()));
        String machine = harness.machine("""
                {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}""");

        harness.await(harness.engine.startExecution(machine, "one", "{}"));
        String arn = harness.engine.startExecution(machine, "two", "{}");
        harness.await(arn);
        harness.engine.redriveExecution(arn);
        harness.await(arn);

        assertThat(seen).containsExactly("one:RUNNING", "one:FAILED", "two:RUNNING", "two:FAILED", "two:RUNNING",
                "two:FAILED");
    }

    @Test
    void rejectsInvalidNamesAndInput() {
        String machine = harness.machine(WAIT_HOUR);

        assertThatThrownBy(() -> harness.engine.startExecution(machine, "has space", "{}"))
                .isInstanceOfSatisfying(ExecutionException.class, e -> assertThat(e.errorCode()).isEqualTo("InvalidName"));
        assertThatThrownBy(() -> harness.engine.startExecution(machine, "ok", "{not json"))
                .isInstanceOfSatisfying(ExecutionException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("InvalidExecutionInput"));
        assertThatThrownBy(() -> harness.engine.startExecution(machine + "-missing", "ok", "{}"))
                .isInstanceOfSatisfying(ExecutionException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("StateMachineDoesNotExist"));
    }

    @Test
    void stopAbortsARunningExecution() {
        String machine = blockingMachine();
        String arn = harness.engine.startExecution(machine, "to-stop", "{}");

        ExecutionDescription stopped = harness.engine.stopExecution(arn, "Operator.Cancelled", "by test");
        release.countDown();

        assertThat(stopped.status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(stopped.error()).isEqualTo("Operator.Cancelled");
        assertThat(harness.history(arn)).extracting(HistoryEvent::type).contains("ExecutionAborted");
    }

    @Test
    void stopWakesAnExecutionWaitingInSimulatedTime() {
        String machine = harness.machine("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:cb.waitForTaskToken", "End": true}}}""");
        harness.resources.register("arn:aws:states:::deckhand:cb", invocation -> null);
        String arn = harness.engine.startExecution(machine, "waiting", "{}");

        harness.engine.stopExecution(arn, null, null);

        assertThat(harness.await(arn).status()).isEqualTo(ExecutionStatus.ABORTED);
    }

    @Test
    void historyChainsEventsWithIdsAndPreviousIds() {
        // API_HistoryEvent: ids increase from 1; previousEventId links to the event before in the same branch.
        harness.resources.register("arn:aws:states:::deckhand:noop", invocation -> json("{\"r\": 1}"));
        String arn = harness.start("""
                {"StartAt": "Do", "States": {"Do": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:noop", "End": true}}}""",
                "{}");
        harness.await(arn);

        List<HistoryEvent> history = harness.history(arn);

        assertThat(history).extracting(HistoryEvent::type).containsExactly("ExecutionStarted", "TaskStateEntered",
                "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded");
        for (int i = 0; i < history.size(); i++) {
            assertThat(history.get(i).id()).isEqualTo(i + 1);
            assertThat(history.get(i).previousEventId()).isEqualTo(i);
        }
        HistoryEvent scheduled = history.get(2);
        assertThat(scheduled.toJson().get("taskScheduledEventDetails").get("resourceType").asText()).isEqualTo("deckhand");
        assertThat(scheduled.toJson().get("taskScheduledEventDetails").get("resource").asText()).isEqualTo("noop");
        assertThat(history.get(1).stateName()).isEqualTo("Do");
        assertThat(json(history.get(6).details().get("output").asText())).isEqualTo(json("{\"r\": 1}"));
    }

    @Test
    void failedExecutionRecordsExecutionFailedWithErrorAndCause() {
        String arn = harness.start("""
                {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Deploy.Failed", "Cause": "rollout failed"}}}""",
                "{}");
        ExecutionDescription done = harness.await(arn);

        HistoryEvent last = harness.history(arn).get(harness.history(arn).size() - 1);
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(last.type()).isEqualTo("ExecutionFailed");
        assertThat(last.details().get("error").asText()).isEqualTo("Deploy.Failed");
        assertThat(last.details().get("cause").asText()).isEqualTo("rollout failed");
    }

    @Test
    void redriveResumesAtTheFailedStateWithoutRerunningEarlierOnes() {
        // https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html: redrive restarts from the
        // unsuccessful state, with the same input; redriveCount counts redrives.
        AtomicInteger prepared = new AtomicInteger();
        AtomicBoolean healthy = new AtomicBoolean(false);
        harness.resources.register("arn:aws:states:::deckhand:prepare", invocation -> {
            prepared.incrementAndGet();
            return json("{\"revision\": 2}");
        });
        harness.resources.register("arn:aws:states:::deckhand:deploy", invocation -> {
            if (!healthy.get()) {
                throw new StatesError("Deploy.Failed", "unhealthy");
            }
            return invocation.arguments();
        });
        String arn = harness.start("""
                {"QueryLanguage": "JSONata", "StartAt": "Prepare", "States": {
                  "Prepare": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:prepare",
                              "Assign": {"revision": "{% $states.result.revision %}"}, "Next": "Deploy"},
                  "Deploy": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:deploy",
                             "Arguments": {"revision": "{% $revision %}"}, "End": true}}}""", "{}");
        assertThat(harness.await(arn).status()).isEqualTo(ExecutionStatus.FAILED);

        healthy.set(true);
        harness.engine.redriveExecution(arn);
        ExecutionDescription redriven = harness.await(arn);

        assertThat(redriven.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(redriven.output())).isEqualTo(json("{\"revision\": 2}"));
        assertThat(redriven.redriveCount()).isEqualTo(1);
        assertThat(prepared.get()).isEqualTo(1);
        assertThat(harness.history(arn)).extracting(HistoryEvent::type).contains("ExecutionRedriven");
        assertThatThrownBy(() -> harness.engine.redriveExecution(arn))
                .isInstanceOfSatisfying(ExecutionException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("ExecutionNotRedrivable"));
    }

    @Test
    void executionTimeoutSecondsTimesOutTheExecution() {
        // states-language.net, "Top-level fields": TimeoutSeconds; the execution ends TIMED_OUT with States.Timeout.
        ExecutionDescription done = harness.run("""
                {"TimeoutSeconds": 60, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}""",
                "{}");

        assertThat(done.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
        assertThat(done.error()).isEqualTo("States.Timeout");
        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(60));
    }

    @Test
    void manyConcurrentExecutionsShareSimulatedTime() {
        String machine = harness.machine("""
                {"QueryLanguage": "JSONata", "StartAt": "W", "States": {"W": {"Type": "Wait",
                  "Seconds": "{% $states.input.s %}", "End": true}}}""");
        List<String> arns = new ArrayList<>();
        // Hold simulated time while starting them all, so that every execution starts at the same instant.
        var starting = harness.clock.beginActivity();
        try {
            for (int i = 0; i < 50; i++) {
                arns.add(harness.engine.startExecution(machine, "run-" + i, "{\"s\": " + (i * 10) + "}"));
            }
        } finally {
            starting.close();
        }

        for (int i = 0; i < arns.size(); i++) {
            ExecutionDescription done = harness.await(arns.get(i));
            assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(done.startDate()).isEqualTo(START);
            assertThat(done.stopDate()).isEqualTo(START.plusSeconds(i * 10L));
        }
        assertThat(harness.engine.listExecutions(machine)).hasSize(50);
    }

    @Test
    void waitForTaskTokenCompletesWhenAnotherThreadSendsSuccess() {
        // connect-to-resource.html#connect-wait-token: the task waits until SendTaskSuccess with its token.
        AtomicReference<String> token = new AtomicReference<>();
        harness.resources.register("arn:aws:states:::deckhand:rollout", invocation -> {
            token.set(invocation.taskToken());
            assertThat(invocation.arguments().get("token").asText()).isEqualTo(invocation.taskToken());
            return null;
        });
        String arn = harness.start("""
                {"QueryLanguage": "JSONata", "StartAt": "Wait for rollout", "States": {
                  "Wait for rollout": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:rollout.waitForTaskToken",
                    "Arguments": {"token": "{% $states.context.Task.Token %}"}, "End": true}}}""", "{}");
        Thread sender = new Thread(() -> {
            while (token.get() == null) {
                Thread.onSpinWait();
            }
            harness.engine.sendTaskSuccess(token.get(), "{\"status\": \"COMPLETED\"}");
        });
        sender.start();

        ExecutionDescription done = harness.await(arn);

        assertThat(json(done.output())).isEqualTo(json("{\"status\": \"COMPLETED\"}"));
        assertThat(harness.history(arn)).extracting(HistoryEvent::type).contains("TaskSubmitted", "TaskSucceeded");
        assertThatThrownBy(() -> harness.engine.sendTaskSuccess(token.get(), "{}"))
                .isInstanceOfSatisfying(TaskTokenException.class, e -> assertThat(e.errorCode()).isEqualTo("TaskTimedOut"));
    }

    @Test
    void aCallbackScheduledAtASimulatedInstantArrivesThen() {
        // An outside party (e.g. a simulated ECS rollout) sends the token back at a simulated instant.
        harness.resources.register("arn:aws:states:::deckhand:rollout", invocation -> {
            String taskToken = invocation.taskToken();
            harness.clock.schedule(harness.clock.now().plusSeconds(120),
                    () -> harness.engine.sendTaskFailure(taskToken, "Rollout.Failed", "circuit breaker"));
            return null;
        });

        ExecutionDescription done = harness.run("""
                {"StartAt": "Deploy", "States": {"Deploy": {"Type": "Task",
                  "Resource": "arn:aws:states:::deckhand:rollout.waitForTaskToken", "TimeoutSeconds": 600, "End": true}}}""",
                "{}");

        assertThat(done.error()).isEqualTo("Rollout.Failed");
        assertThat(done.cause()).isEqualTo("circuit breaker");
        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(120));
    }

    @Test
    void heartbeatsKeepATaskAliveUntilTheyStop() {
        // HeartbeatSeconds: without a heartbeat for that long the task fails with States.HeartbeatTimeout.
        harness.resources.register("arn:aws:states:::deckhand:beating", invocation -> {
            String taskToken = invocation.taskToken();
            for (int s = 20; s <= 60; s += 20) {
                harness.clock.schedule(START.plusSeconds(s), () -> harness.engine.sendTaskHeartbeat(taskToken));
            }
            return null;
        });

        ExecutionDescription done = harness.run("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:beating.waitForTaskToken",
                  "HeartbeatSeconds": 30, "End": true}}}""", "{}");

        assertThat(done.error()).isEqualTo("States.HeartbeatTimeout");
        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(90));
    }

    @Test
    void syncResourcesMayWaitOnTheEngineClock() {
        // A .sync handler that polls a simulated job by sleeping on the shared clock.
        harness.resources.register("arn:aws:states:::ecs:runTask.sync", invocation -> {
            harness.clock.sleepUntil(harness.clock.now().plusSeconds(45));
            return json("{\"Tasks\": [{\"LastStatus\": \"STOPPED\", \"Containers\": [{\"ExitCode\": 0}]}]}");
        });

        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Migrate", "States": {"Migrate": {"Type": "Task",
                  "Resource": "arn:aws:states:::ecs:runTask.sync", "Output": "{% $states.result.Tasks[0].Containers[0].ExitCode %}",
                  "End": true}}}""", "{}");

        assertThat(done.output()).isEqualTo("0");
        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(45));
    }

    @Test
    void timeoutSecondsEndsASyncTaskAtItsDeadline() {
        // state-task.html, TimeoutSeconds: the task fails with States.Timeout when it runs longer.
        harness.resources.register("arn:aws:states:::ecs:runTask.sync", invocation -> {
            harness.clock.sleepUntil(harness.clock.now().plusSeconds(600));
            return json("{}");
        });

        ExecutionDescription done = harness.run("""
                {"StartAt": "Migrate", "States": {"Migrate": {"Type": "Task", "TimeoutSeconds": 60,
                  "Resource": "arn:aws:states:::ecs:runTask.sync", "End": true}}}""", "{}");

        assertThat(done.error()).isEqualTo("States.Timeout");
        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(60));
        assertThat(harness.history(arn(done))).extracting(HistoryEvent::type).contains("TaskTimedOut");
    }

    private static String arn(ExecutionDescription description) {
        return description.executionArn();
    }

    @Test
    void aTaskThatEndsBeforeItsTimeoutSucceeds() {
        harness.resources.register("arn:aws:states:::ecs:runTask.sync", invocation -> {
            harness.clock.sleepUntil(harness.clock.now().plusSeconds(30));
            return json("{\"ok\": 1}");
        });

        ExecutionDescription done = harness.run("""
                {"StartAt": "Migrate", "States": {"Migrate": {"Type": "Task", "TimeoutSeconds": 60,
                  "Resource": "arn:aws:states:::ecs:runTask.sync", "End": true}}}""", "{}");

        assertThat(json(done.output())).isEqualTo(json("{\"ok\": 1}"));
        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(30));
    }

    @Test
    void anUnregisteredResourceFailsTheExecutionWithAClearCause() {
        ExecutionDescription done = harness.run("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true}}}""",
                "{}");

        assertThat(done.error()).isEqualTo("States.Runtime");
        assertThat(done.cause()).contains("arn:aws:states:::sns:publish").contains("\"T\"".replace("\"", "'"));
    }
}
