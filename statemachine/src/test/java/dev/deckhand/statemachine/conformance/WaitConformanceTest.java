package dev.deckhand.statemachine.conformance;

import static dev.deckhand.statemachine.EngineHarness.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.statemachine.EngineHarness;
import dev.deckhand.statemachine.ExecutionDescription;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Wait states on the simulated clock, https://states-language.net/spec.html#wait-state. */
class WaitConformanceTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void secondsWaitsThatLongInSimulatedTime() {
        ExecutionDescription done = harness.run("""
                {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 86400, "End": true}}}""", "{}");

        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(86400));
    }

    @Test
    void timestampWaitsUntilThatInstant() {
        ExecutionDescription done = harness.run("""
                {"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2026-01-03T12:00:00Z", "End": true}}}""",
                "{}");

        assertThat(done.stopDate()).isEqualTo(Instant.parse("2026-01-03T12:00:00Z"));
    }

    @Test
    void aTimestampInThePastDoesNotWait() {
        ExecutionDescription done = harness.run("""
                {"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2016-03-14T01:59:00Z", "End": true}}}""",
                "{}");

        assertThat(done.stopDate()).isEqualTo(START);
    }

    @Test
    void secondsPathAndTimestampPathReadTheInput() {
        ExecutionDescription seconds = harness.run("""
                {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.delay", "End": true}}}""",
                "{\"delay\": 90}");
        ExecutionDescription timestamp = harness.run("""
                {"StartAt": "W", "States": {"W": {"Type": "Wait", "TimestampPath": "$.until", "End": true}}}""",
                "{\"until\": \"2026-02-01T00:00:00Z\"}");

        assertThat(seconds.stopDate()).isEqualTo(START.plusSeconds(90));
        assertThat(timestamp.stopDate()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
    }

    @Test
    void jsonataSecondsIsAnExpression() {
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "W", "States": {"W": {"Type": "Wait",
                  "Seconds": "{% $states.input.minutes * 60 %}", "End": true}}}""", "{\"minutes\": 5}");

        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(300));
    }

    @Test
    void aPollingLoopAdvancesTimeOnlyAsFarAsItsWaits() {
        // The deployer polls with Wait + Choice loops; ten 15-second polls end 150 s after the start.
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
                  "Init": {"Type": "Pass", "Assign": {"polls": 0}, "Next": "Wait for rollout"},
                  "Wait for rollout": {"Type": "Wait", "Seconds": 15, "Assign": {"polls": "{% $polls + 1 %}"},
                                       "Next": "Rolled out?"},
                  "Rolled out?": {"Type": "Choice", "Default": "Wait for rollout",
                                  "Choices": [{"Condition": "{% $polls >= 10 %}", "Next": "Done"}]},
                  "Done": {"Type": "Succeed", "Output": "{% $polls %}"}}}""", "{}");

        assertThat(done.output()).isEqualTo("10");
        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(150));
    }
}
