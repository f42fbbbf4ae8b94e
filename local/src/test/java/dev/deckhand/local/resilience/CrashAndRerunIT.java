package dev.deckhand.local.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.fault.FaultRule;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.statemachine.clock.EngineClock;
import dev.deckhand.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A deployment stopped in any state it passes through — as a crash, an operator's StopExecution or
 * a timeout would leave it — and then run again from the console (a new execution with the same
 * input) or redriven ends with the new image serving, the history saying SUCCEEDED, and exactly
 * one task-definition revision and one migration task for it.
 *
 * <p>How a stop lands inside a state, deterministically: the test holds simulated time still (an
 * activity of the engine's clock), so the execution halts at its first clock wait (a Wait state or
 * a retry back-off) until the test lets time move on; and every AWS call answers after a fixed
 * latency, so a Task state that calls AWS is observably in progress for that long. The test follows
 * the history, lets time move on at each wait until the execution is in the state, then stops it.
 * The image starts slowly, so "Verify health" waits in its retry back-off as in a real rollout.
 */
class CrashAndRerunIT {

    private static final String CLUSTER = "acme-dev";
    private static final String FAMILY = "storefront-dev";
    /** Long enough for the history poll to see a Task state in progress, short enough for 24 runs. */
    private static final Duration CALL_LATENCY = Duration.ofMillis(60);
    /** Attempts to land a stop inside a state before giving up (a poll can be descheduled for longer). */
    private static final int STOP_ATTEMPTS = 3;
    /** Resolve's handler reads the configuration in memory: no AWS call and no wait for a stop to land in. */
    private static final String IN_MEMORY_TASK = "Resolve target environment";

    private enum Resume { RERUN, REDRIVE }

    @Test
    void aDeploymentStoppedInAnyStateAndRunAgainFromTheConsoleDeploysOnce() throws Exception {
        resumeAfterStopInEachState(Resume.RERUN);
    }

    @Test
    void aDeploymentStoppedInAnyStateAndRedrivenDeploysOnce() throws Exception {
        resumeAfterStopInEachState(Resume.REDRIVE);
    }

    private void resumeAfterStopInEachState(Resume resume) throws Exception {
        long started = System.nanoTime();
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration())
                .ecsConsistencyDelay(ResilienceRuns.ECS_CONSISTENCY_DELAY).start()) {
            ResilienceRuns runs = new ResilienceRuns(deckhand);
            EcrImage normal = deckhand.push("acme/storefront", List.of("feature-normal"), behaviour());
            ExecutionDescription normalRun = runs.finishedExecutionOf(normal);
            assertThat(ResilienceRuns.result(normalRun)).isEqualTo("SUCCEEDED");
            List<String> passed = new ArrayList<>(new LinkedHashSet<>(runs.statesEntered(normalRun.executionArn())));
            JsonNode states = ResilienceRuns.json(deckhand.engine().definition(deckhand.stateMachineArn()).json())
                    .path("States");
            // Pass, Choice and Succeed states run without yielding, so no stop can land inside them.
            List<String> stoppable = passed.stream()
                    .filter(state -> List.of("Task", "Wait").contains(states.path(state).path("Type").asText()))
                    .filter(state -> !state.equals(IN_MEMORY_TASK))
                    .toList();
            assertThat(stoppable).contains("Claim the deployment and take the lock", "Prepare the release",
                    "Start database migration", "Update the service", "Verify health",
                    "Record the verified release and release the lock");

            int index = 0;
            int misses = 0;
            List<String> covered = new ArrayList<>();
            for (String state : stoppable) {
                index++;
                int revisions = runs.revisions(FAMILY);
                int migrations = runs.migrationTasks(CLUSTER);
                Stopped stopped = null;
                for (int attempt = 1; attempt <= STOP_ATTEMPTS && stopped == null; attempt++) {
                    String tag = String.format("feature-%s-%02d-%d", resume.name().toLowerCase(), index, attempt);
                    stopped = stopIn(deckhand, runs, deckhand.push("acme/storefront", List.of(tag), behaviour()), state);
                    if (stopped == null) {
                        misses++;
                        revisions = runs.revisions(FAMILY);
                        migrations = runs.migrationTasks(CLUSTER);
                    }
                }
                assertThat(stopped).as("a stop landed in '%s' within %d attempts", state, STOP_ATTEMPTS).isNotNull();

                runs.letTimePass(Duration.ofMinutes(1));
                ExecutionDescription resumed = resume == Resume.RERUN
                        ? deckhand.awaitCompletion(deckhand.startExecution(stopped.execution().input()), ResilienceRuns.TIMEOUT)
                        : redrive(deckhand, stopped.execution().executionArn());

                String where = resume + " after a stop in '" + state + "'";
                assertThat(resumed.status()).as(where + ": " + resumed.error() + " " + resumed.cause())
                        .isEqualTo(ExecutionStatus.SUCCEEDED);
                String deploymentId = ResilienceRuns.json(resumed.output()).path("deploymentId").asText();
                AttemptRecord latest = deckhand.history().latestAttempt(deploymentId).map(claim ->
                        deckhand.history().attempt(deploymentId, claim.attempt()).orElseThrow()).orElseThrow();
                assertThat(latest.outcome()).as(where + ": outcome in the history").isEqualTo(Outcome.SUCCEEDED);
                if (resume == Resume.RERUN) {
                    // A rerun after the stopped execution had already recorded its success is a duplicate.
                    String expected = stopped.reportedSuccess() ? "DUPLICATE" : "SUCCEEDED";
                    assertThat(ResilienceRuns.result(resumed)).as(where).isEqualTo(expected);
                } else {
                    assertThat(ResilienceRuns.result(resumed)).as(where).isEqualTo("SUCCEEDED");
                    assertThat(latest.executionArn()).isEqualTo(stopped.execution().executionArn());
                }
                assertThat(runs.servingImage(CLUSTER, FAMILY, "web")).as(where + ": image serving")
                        .isEqualTo(stopped.image().uri());
                assertThat(runs.revisions(FAMILY)).as(where + ": task-definition revisions").isEqualTo(revisions + 1);
                assertThat(runs.migrationTasks(CLUSTER)).as(where + ": migration tasks").isEqualTo(migrations + 1);
                assertThat(runs.heldLocks()).as(where + ": locks held").isEmpty();
                covered.add(state);
            }
            System.out.printf("crash and %s: %d of %d states covered %s; not stoppable: %s; %d stops missed and "
                            + "retried, %.1f s%n", resume.name().toLowerCase(), covered.size(), passed.size(), covered,
                    passed.stream().filter(state -> !covered.contains(state)).toList(), misses,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    /** What a stop left behind: the execution, its image, and whether it had already reported success. */
    private record Stopped(ExecutionDescription execution, EcrImage image, boolean reportedSuccess) {
    }

    /**
     * Follows the execution {@code image} starts until it is inside {@code state} and stops it, then
     * waits for the dead-execution cleanup (lock released, claim no longer RUNNING). Null when the
     * execution left the state before the stop landed (it is then left to finish).
     */
    private static Stopped stopIn(LocalDeckhand deckhand, ResilienceRuns runs, EcrImage image, String state)
            throws InterruptedException {
        EngineClock clock = deckhand.clock();
        EngineClock.Activity still = clock.beginActivity();
        deckhand.cloud().faults().add(FaultRule.latency(FaultRule.ANY, FaultRule.ANY, 1.0, CALL_LATENCY));
        String arn;
        boolean stopped = false;
        try {
            Instant deadline = Instant.now().plus(ResilienceRuns.TIMEOUT);
            ResilienceRuns.awaitTrue(() -> !runs.startedBy(image).isEmpty(), deadline, () -> "the execution of " + image);
            arn = runs.startedBy(image).get(0).executionArn();
            while (true) {
                List<HistoryEvent> history = deckhand.engine().getExecutionHistory(arn);
                HistoryEvent last = history.get(history.size() - 1);
                Optional<String> current = currentState(history);
                if (current.isPresent() && current.get().equals(state)) {
                    ExecutionDescription after = deckhand.engine().stopExecution(arn, "Test.Crash",
                            "stopped in '" + state + "' by CrashAndRerunIT");
                    stopped = after.status() == ExecutionStatus.ABORTED
                            && stillIn(deckhand.engine().getExecutionHistory(arn), state);
                    break;
                }
                if (last.type().startsWith("Execution") && !last.type().equals("ExecutionStarted")) {
                    break; // it ended: the state was passed before the poll saw it
                }
                if (last.type().equals("WaitStateEntered") || last.type().equals("TaskFailed")
                        || last.type().equals("TaskSubmitted")) {
                    // Halted at a clock wait that is not the target (a Wait, a retry's back-off, a task waiting
                    // for ECS's event, which comes when simulated time reaches it): let time move on.
                    still.close();
                    still = clock.beginActivity();
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("the execution of " + image + " never reached '" + state + "'");
                }
                Thread.sleep(1);
            }
        } finally {
            deckhand.cloud().faults().clear();
            still.close();
        }
        if (!stopped) {
            deckhand.awaitCompletion(arn, ResilienceRuns.TIMEOUT);
            return null;
        }
        Instant deadline = Instant.now().plus(ResilienceRuns.TIMEOUT);
        ResilienceRuns.awaitTrue(() -> runs.heldLocks().isEmpty() && claimSettled(deckhand, arn), deadline,
                () -> "the cleanup of the execution stopped in '" + state + "'");
        Optional<AttemptRecord> attempt = attemptOf(deckhand, arn);
        return new Stopped(deckhand.engine().describeExecution(arn), image,
                attempt.isPresent() && attempt.get().outcome() == Outcome.SUCCEEDED);
    }

    /** The state the execution is in: the last one entered, if it has not exited it. */
    private static Optional<String> currentState(List<HistoryEvent> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            HistoryEvent event = history.get(i);
            if (event.type().endsWith("StateExited")) {
                return Optional.empty();
            }
            if (event.type().endsWith("StateEntered")) {
                return Optional.of(event.stateName());
            }
        }
        return Optional.empty();
    }

    /** The stop landed inside the state: the history ends in it, with the abort and nothing after. */
    private static boolean stillIn(List<HistoryEvent> history, String state) {
        List<HistoryEvent> before = history.subList(0, history.size() - 1);
        return history.get(history.size() - 1).type().equals("ExecutionAborted")
                && currentState(before).filter(state::equals).isPresent();
    }

    /** The claim the stopped execution made (if any) is no longer RUNNING: the cleanup has run. */
    private static boolean claimSettled(LocalDeckhand deckhand, String arn) {
        return attemptOf(deckhand, arn).map(attempt -> attempt.outcome() != Outcome.RUNNING).orElse(true);
    }

    private static Optional<AttemptRecord> attemptOf(LocalDeckhand deckhand, String arn) {
        return deckhand.history().recent("storefront", "dev", 100).stream()
                .filter(record -> arn.equals(record.executionArn())).findFirst();
    }

    private static ExecutionDescription redrive(LocalDeckhand deckhand, String arn) throws InterruptedException {
        deckhand.engine().redriveExecution(arn);
        return deckhand.awaitCompletion(arn, ResilienceRuns.TIMEOUT);
    }

    /** Healthy, but only after 45 s of warm-up: "Verify health" backs off (1, 2, 4 … s) before it passes. */
    private static ImageBehaviour behaviour() {
        return ImageBehaviour.slowStart(Duration.ofSeconds(45));
    }
}
