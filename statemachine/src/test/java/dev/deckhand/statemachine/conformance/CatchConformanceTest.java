package dev.deckhand.statemachine.conformance;

import static dev.deckhand.statemachine.EngineHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.statemachine.EngineHarness;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.StatesError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Catch: the error output and where it goes, in both query languages. */
class CatchConformanceTest {

    private final EngineHarness harness = new EngineHarness();

    @BeforeEach
    void failingTask() {
        harness.resources.register("arn:aws:states:::deckhand:fail", invocation -> {
            throw new StatesError("CustomError", "This is a custom error!");
        });
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void catcherResultPathAddsTheErrorOutputToTheInput() {
        // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html#input-output-resultpath-catch
        ExecutionDescription done = harness.run("""
                {"StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:fail", "End": true,
                        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handle"}]},
                  "Handle": {"Type": "Pass", "End": true}}}""", "{\"foo\": \"bar\"}");

        assertThat(json(done.output())).isEqualTo(json("""
                {"foo": "bar", "error": {"Error": "CustomError", "Cause": "This is a custom error!"}}"""));
    }

    @Test
    void catcherWithoutResultPathPassesOnlyTheErrorOutput() {
        // https://states-language.net/spec.html#fallback-states: ResultPath defaults to "$".
        ExecutionDescription done = harness.run("""
                {"StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:fail", "End": true,
                        "Catch": [{"ErrorEquals": ["CustomError"], "Next": "Handle"}]},
                  "Handle": {"Type": "Pass", "End": true}}}""", "{\"foo\": \"bar\"}");

        assertThat(json(done.output())).isEqualTo(json("{\"Error\": \"CustomError\", \"Cause\": \"This is a custom error!\"}"));
    }

    @Test
    void jsonataCatcherOutputAndAssignSeeTheErrorOutput() {
        // https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html: $states.errorOutput in Catch.
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:fail", "End": true,
                        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle",
                                   "Assign": {"lastError": "{% $states.errorOutput.Error %}"},
                                   "Output": {"was": "{% $states.input.foo %}", "cause": "{% $states.errorOutput.Cause %}"}}]},
                  "Handle": {"Type": "Pass", "Output": {"out": "{% $states.input %}", "err": "{% $lastError %}"}, "End": true}}}""",
                "{\"foo\": \"bar\"}");

        assertThat(json(done.output())).isEqualTo(json("""
                {"out": {"was": "bar", "cause": "This is a custom error!"}, "err": "CustomError"}"""));
    }

    @Test
    void jsonataCatcherWithoutOutputPassesTheErrorOutput() {
        // CDK JsonataCommonOptions.outputs default: "$states.result or $states.errorOutput".
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:fail", "End": true,
                        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}]},
                  "Handle": {"Type": "Pass", "End": true}}}""", "{}");

        assertThat(json(done.output())).isEqualTo(json("{\"Error\": \"CustomError\", \"Cause\": \"This is a custom error!\"}"));
    }

    @Test
    void uncaughtErrorFailsTheExecutionWithItsNameAndCause() {
        ExecutionDescription done = harness.run("""
                {"StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:fail", "End": true,
                        "Catch": [{"ErrorEquals": ["OtherError"], "Next": "Handle"}]},
                  "Handle": {"Type": "Pass", "End": true}}}""", "{}");

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("CustomError");
        assertThat(done.cause()).isEqualTo("This is a custom error!");
    }

    @Test
    void retriesRunOutBeforeTheCatcherTakesOver() {
        // ASL spec, "Fallback states": Catch applies once retries are exhausted.
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        harness.resources.register("arn:aws:states:::deckhand:count", invocation -> {
            calls.incrementAndGet();
            throw new StatesError("CustomError", "again");
        });
        ExecutionDescription done = harness.run("""
                {"StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:count", "End": true,
                        "Retry": [{"ErrorEquals": ["CustomError"], "MaxAttempts": 2}],
                        "Catch": [{"ErrorEquals": ["CustomError"], "Next": "Handle"}]},
                  "Handle": {"Type": "Pass", "End": true}}}""", "{}");

        assertThat(calls.get()).isEqualTo(3);
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }
}
