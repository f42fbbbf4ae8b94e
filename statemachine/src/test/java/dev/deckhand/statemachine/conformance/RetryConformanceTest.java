package dev.deckhand.statemachine.conformance;

import static dev.deckhand.statemachine.EngineHarness.START;
import static dev.deckhand.statemachine.EngineHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.statemachine.EngineHarness;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.StatesError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retry timing on the simulated clock. The schedule comes from the documented rule
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error):
 * the first retry waits IntervalSeconds, each later one BackoffRate times longer, capped by
 * MaxDelaySeconds; MaxAttempts (default 3) counts retries, 0 means never retry.
 */
class RetryConformanceTest {

    private final EngineHarness harness = new EngineHarness();
    private final List<Instant> attempts = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void close() {
        harness.close();
    }

    private List<Duration> offsets() {
        List<Duration> offsets = new ArrayList<>();
        attempts.forEach(at -> offsets.add(Duration.between(START, at)));
        return offsets;
    }

    private void failingWith(String... errors) {
        AtomicInteger call = new AtomicInteger();
        harness.resources.register("arn:aws:states:::deckhand:flaky", invocation -> {
            attempts.add(harness.clock.now());
            int n = call.getAndIncrement();
            if (n < errors.length) {
                throw new StatesError(errors[n], "attempt " + (n + 1));
            }
            return json("{\"ok\": true}");
        });
    }

    @Test
    void retriesAfterIntervalThenBackoffRateTimesLonger() {
        // Documented example: IntervalSeconds 3, MaxAttempts 2, BackoffRate 1.5 -> retries after 3 s and 4.5 s.
        failingWith("ErrorA", "ErrorA", "ErrorA");

        ExecutionDescription done = harness.runFixture("retry-backoff.asl.json", "{}");

        assertThat(offsets()).containsExactly(Duration.ZERO, Duration.ofSeconds(3), Duration.ofMillis(7500));
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("ErrorA");
    }

    @Test
    void succeedsWhenARetryPasses() {
        failingWith("ErrorB");

        ExecutionDescription done = harness.runFixture("retry-backoff.asl.json", "{}");

        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(done.output())).isEqualTo(json("{\"ok\": true}"));
        assertThat(offsets()).containsExactly(Duration.ZERO, Duration.ofSeconds(3));
    }

    @Test
    void retrierDefaultsAreOneSecondBackoffTwoAndThreeAttempts() {
        // Second retrier has only IntervalSeconds 5: BackoffRate 2.0 and MaxAttempts 3 by default (ASL spec, "Retrying after error").
        failingWith("ErrorC", "ErrorC", "ErrorC", "ErrorC");

        ExecutionDescription done = harness.runFixture("retry-backoff.asl.json", "{}");

        assertThat(offsets()).containsExactly(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(15),
                Duration.ofSeconds(35));
        assertThat(done.error()).isEqualTo("ErrorC");
    }

    @Test
    void maxDelaySecondsCapsTheExponentialSchedule() {
        // IntervalSeconds 1, BackoffRate 2, MaxDelaySeconds 60: waits 1, 2, 4, 8, 16, 32, 60, 60, 60.
        AtomicInteger calls = new AtomicInteger();
        harness.lambdas.register("health-check", event -> {
            attempts.add(harness.clock.now());
            calls.incrementAndGet();
            throw new Unhealthy("still starting");
        });

        ExecutionDescription done = harness.run(EngineHarness.resource("definitions/health-backoff.asl.json")
                .replace("dev.deckhand.errors.Unhealthy", Unhealthy.class.getName()), "{\"service\": \"web\"}");

        List<Long> waits = new ArrayList<>();
        for (int i = 1; i < attempts.size(); i++) {
            waits.add(Duration.between(attempts.get(i - 1), attempts.get(i)).toSeconds());
        }
        assertThat(waits).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
        assertThat(calls.get()).isEqualTo(10);
        assertThat(json(done.output())).isEqualTo(json("""
                {"failed": "%s", "input": {"service": "web"}}""".formatted(Unhealthy.class.getName())));
    }

    /** A checked exception thrown by a test "Lambda function". */
    static final class Unhealthy extends Exception {
        private static final long serialVersionUID = 1L;

        Unhealthy(String message) {
            super(message);
        }
    }

    @Test
    void contextRetryCountCountsTheRetriesOfTheState() {
        // input-output-contextobject.html: $$.State.RetryCount.
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger call = new AtomicInteger();
        harness.resources.register("arn:aws:states:::deckhand:counting", invocation -> {
            seen.add(invocation.arguments().get("retry").asInt());
            if (call.incrementAndGet() < 3) {
                throw new StatesError("Boom", "again");
            }
            return invocation.arguments();
        });

        ExecutionDescription done = harness.run("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:counting",
                  "Parameters": {"retry.$": "$$.State.RetryCount"},
                  "Retry": [{"ErrorEquals": ["Boom"]}], "End": true}}}""", "{}");

        assertThat(seen).containsExactly(0, 1, 2);
        assertThat(json(done.output())).isEqualTo(json("{\"retry\": 2}"));
    }

    @Test
    void anOutputOver256KibFailsWithDataLimitExceededWhichStatesAllDoesNotCatch() {
        // service-quotas.html: 256 KiB per state output; concepts-error-handling.html: States.ALL does not
        // catch States.DataLimitExceeded.
        harness.resources.register("arn:aws:states:::deckhand:big", invocation ->
                json("{\"blob\": \"" + "x".repeat(300 * 1024) + "\"}"));

        ExecutionDescription done = harness.run("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:big",
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
                  "Caught": {"Type": "Succeed"}}}""", "{}");

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("States.DataLimitExceeded");
        // The cause as AWS words it, naming the task's resource (observed on AWS, NASA-IMPACT/csdap-cumulus#296:
        // "The state/task 'arn:aws:lambda:…' returned a result with a size exceeding the maximum number of bytes
        // service limit.").
        assertThat(done.cause()).isEqualTo("The state/task 'arn:aws:states:::deckhand:big' returned a result with a "
                + "size exceeding the maximum number of bytes service limit.");
    }

    @Test
    void aStateOutputOrInputOver256KibFailsWithDataLimitExceededNamingTheState() {
        // service-quotas.html: 256 KiB is the maximum output and input of a state (API_StateEnteredEventDetails,
        // input: "Maximum length of 262144" bytes). A Pass state that doubles the data fails on its output; an
        // ItemSelector that doubles it makes an iteration's input too large.
        String input = "{\"blob\": \"" + "x".repeat(150 * 1024) + "\", \"items\": [1]}";
        ExecutionDescription output = harness.run("""
                {"StartAt": "Grow", "States": {
                  "Grow": {"Type": "Pass", "Parameters": {"a.$": "$.blob", "b.$": "$.blob"}, "End": true}}}""", input);
        ExecutionDescription itemInput = harness.run("""
                {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
                  "ItemSelector": {"a.$": "$.blob", "b.$": "$.blob"},
                  "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": true}}},
                  "End": true}}}""", input);

        assertThat(output.error()).isEqualTo("States.DataLimitExceeded");
        assertThat(output.cause()).contains("'Grow'");
        assertThat(itemInput.error()).isEqualTo("States.DataLimitExceeded");
        assertThat(itemInput.cause()).contains("input").contains("'Inner'");
    }

    @Test
    void maxAttemptsZeroNeverRetries() {
        // concepts-error-handling.html: "MaxAttempts ... A value of 0 ... the error is never retried."
        failingWith("Boom");

        ExecutionDescription done = harness.run("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:flaky",
                  "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 0}], "End": true}}}""", "{}");

        assertThat(attempts).hasSize(1);
        assertThat(done.error()).isEqualTo("Boom");
    }

    @Test
    void onlyTheFirstMatchingRetrierApplies() {
        // ASL spec, "Retrying after error": the first retrier whose ErrorEquals matches is used; when its
        // MaxAttempts are spent, later retriers are not consulted.
        failingWith("Boom", "Boom", "Boom");

        ExecutionDescription done = harness.run("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:flaky",
                  "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 1},
                            {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}], "End": true}}}""", "{}");

        assertThat(attempts).hasSize(2);
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    }

    @Test
    void fullJitterWaitsARandomTimeUpToTheBackoff() {
        // concepts-error-handling.html, JitterStrategy FULL: the wait is randomized between 0 and the computed interval.
        failingWith("Boom", "Boom", "Boom", "Boom");

        harness.run("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:flaky",
                  "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 10, "BackoffRate": 2, "MaxAttempts": 4,
                             "JitterStrategy": "FULL"}], "End": true}}}""", "{}");

        List<Duration> waits = new ArrayList<>();
        for (int i = 1; i < attempts.size(); i++) {
            waits.add(Duration.between(attempts.get(i - 1), attempts.get(i)));
        }
        assertThat(waits).hasSize(4);
        long[] caps = {10, 20, 40, 80};
        for (int i = 0; i < caps.length; i++) {
            assertThat(waits.get(i)).isLessThanOrEqualTo(Duration.ofSeconds(caps[i]));
        }
        assertThat(waits).isNotEqualTo(List.of(Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(40), Duration.ofSeconds(80)));
    }

    @Test
    void taskFailedMatchesAnyErrorButTimeout() {
        // concepts-error-handling.html: States.TaskFailed "matches any known error name except for States.Timeout".
        harness.resources.register("arn:aws:states:::deckhand:never", invocation -> null);
        ExecutionDescription timedOut = harness.run("""
                {"StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:never.waitForTaskToken",
                        "TimeoutSeconds": 30, "End": true,
                        "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Caught"}]},
                  "Caught": {"Type": "Succeed"}}}""", "{}");
        failingWith("Custom.Error");
        ExecutionDescription custom = harness.run("""
                {"StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:flaky", "End": true,
                        "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Caught"}]},
                  "Caught": {"Type": "Succeed"}}}""", "{}");

        assertThat(timedOut.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(timedOut.error()).isEqualTo("States.Timeout");
        assertThat(timedOut.stopDate()).isEqualTo(START.plusSeconds(30));
        assertThat(custom.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }
}
