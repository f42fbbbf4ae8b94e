package dev.deckhand.statemachine.conformance;

import static dev.deckhand.statemachine.EngineHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.statemachine.DefinitionException;
import dev.deckhand.statemachine.EngineHarness;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.StateMachineDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JSONata query language as https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html describes it. */
class JsonataConformanceTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private JsonNode evaluate(String expression) {
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "E", "States": {"E": {"Type": "Pass",
                  "Output": {"value": "{%% %s %%}"}, "End": true}}}""".formatted(expression), "{}");
        assertThat(done.status()).as("%s: %s", done.error(), done.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        return json(done.output()).get("value");
    }

    @Test
    void convertedJsonPathAndJsonataStatesProduceTheSameDocumentedResult() {
        // transforming-data.html: input {"title": "Doctor"}, variable customerName "María", both samples yield
        // {"static": "Hello", "title": "Doctor", "name": "María", "not-evaluated": "$customerName"}.
        String expected = """
                {"static": "Hello", "title": "Doctor", "name": "María", "not-evaluated": "$customerName"}""";
        ExecutionDescription jsonPath = harness.run("""
                {"StartAt": "Set", "States": {
                  "Set": {"Type": "Pass", "Assign": {"customerName": "María"}, "Next": "Task"},
                  "Task": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": true,
                           "Parameters": {"static": "Hello", "title.$": "$.title", "name.$": "$customerName",
                                          "not-evaluated": "$customerName"}}}}""", "{\"title\": \"Doctor\"}");
        ExecutionDescription jsonata = harness.run("""
                {"StartAt": "Set", "States": {
                  "Set": {"Type": "Pass", "Assign": {"customerName": "María"}, "Next": "Task"},
                  "Task": {"Type": "Pass", "QueryLanguage": "JSONata", "End": true,
                           "Output": {"static": "Hello", "title": "{% $states.input.title %}",
                                      "name": "{% $customerName %}", "not-evaluated": "$customerName"}}}}""",
                "{\"title\": \"Doctor\"}");

        assertThat(json(jsonPath.output())).isEqualTo(json(expected));
        assertThat(json(jsonata.output())).isEqualTo(json(expected));
    }

    @Test
    void taskArgumentsAndOutputSeeStatesInputAndResult() {
        harness.resources.register("arn:aws:states:::deckhand:echo", invocation -> invocation.arguments());
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {"Type": "Task",
                  "Resource": "arn:aws:states:::deckhand:echo",
                  "Arguments": {"doubled": "{% $states.input.n * 2 %}"},
                  "Output": {"in": "{% $states.input.n %}", "out": "{% $states.result.doubled %}"}, "End": true}}}""",
                "{\"n\": 21}");

        assertThat(json(done.output())).isEqualTo(json("{\"in\": 21, \"out\": 42}"));
    }

    @Test
    void taskOutputDefaultsToTheResult() {
        // CDK JsonataCommonOptions.outputs: "Default: $states.result or $states.errorOutput".
        harness.resources.register("arn:aws:states:::deckhand:echo", invocation -> json("{\"r\": 1}"));
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {"Type": "Task",
                  "Resource": "arn:aws:states:::deckhand:echo", "End": true}}}""", "{\"ignored\": true}");

        assertThat(json(done.output())).isEqualTo(json("{\"r\": 1}"));
    }

    @Test
    void stepFunctionsAddsPartitionRangeParseAndHash() {
        // transforming-data.html, "JSONata functions provided by Step Functions".
        assertThat(evaluate("$partition([1,2,3,4], 2)")).isEqualTo(json("[[1,2],[3,4]]"));
        assertThat(evaluate("$range(0, 10, 2)")).isEqualTo(json("[0,2,4,6,8,10]"));
        assertThat(evaluate("$parse('{\\\"key\\\": \\\"value\\\"}')")).isEqualTo(json("{\"key\": \"value\"}"));
        // SHA-256 of "abc" is the FIPS 180-2 test vector.
        assertThat(evaluate("$hash('abc', 'SHA-256')").asText())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void uuidIsAVersion4UuidAndRandomIsBelowOne() {
        assertThat(evaluate("$uuid()").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        double random = evaluate("$random()").asDouble();
        assertThat(random).isGreaterThanOrEqualTo(0).isLessThan(1);
    }

    @Test
    void nowAndMillisReadTheEngineClock() {
        // https://docs.jsonata.org/date-time-functions: $now() is the ISO 8601 timestamp of the current time,
        // $millis() the milliseconds since the epoch; here "current" is the (simulated) engine time.
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "W", "States": {
                  "W": {"Type": "Wait", "Seconds": 60, "Next": "T"},
                  "T": {"Type": "Pass", "Output": {"now": "{% $now() %}", "millis": "{% $millis() %}",
                                                   "day": "{% $now('[Y0001]-[M01]-[D01]') %}"}, "End": true}}}""", "{}");

        assertThat(json(done.output())).isEqualTo(json("""
                {"now": "2026-01-01T00:01:00.000Z", "millis": %d, "day": "2026-01-01"}"""
                .formatted(EngineHarness.START.plusSeconds(60).toEpochMilli())));
    }

    @Test
    void evalIsRejectedAtValidation() {
        // transforming-data.html: "$eval is not available; use $parse instead".
        assertThatThrownBy(() -> StateMachineDefinition.parse("""
                {"QueryLanguage": "JSONata", "StartAt": "E", "States": {"E": {"Type": "Pass",
                  "Output": "{% $eval('1+1') %}", "End": true}}}"""))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("\"E\"").hasMessageContaining("$eval");
    }

    @Test
    void anExpressionReturningNothingIsAQueryEvaluationError() {
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "E", "States": {"E": {"Type": "Pass",
                  "Output": {"x": "{% $states.input.missing %}"}, "End": true}}}""", "{}");

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("States.QueryEvaluationError");
        // The cause opens with AWS's preamble for errors of a state's own processing (AWS Step Functions
        // workshop, "Error handling": "An error occurred while executing the state '…' (entered at the event id
        // #N). …"); E is entered at event #2, after ExecutionStarted.
        assertThat(done.cause()).startsWith("An error occurred while executing the state 'E' (entered at the event id "
                + "#2). The JSONata expression '$states.input.missing'");
    }

    @Test
    void aFailingExpressionIsAQueryEvaluationErrorThatCatchCanHandle() {
        // concepts-error-handling.html lists States.QueryEvaluationError among the catchable errors.
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:unused",
                        "Arguments": "{% 1 + 'a' %}", "End": true,
                        "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "Caught"}]},
                  "Caught": {"Type": "Pass", "Output": "{% $states.input.Error %}", "End": true}}}""", "{}");

        assertThat(json(done.output()).asText()).isEqualTo("States.QueryEvaluationError");
    }

    @Test
    void contextObjectIsStatesContext() {
        String arn = harness.engine.startExecution(harness.machine("""
                {"QueryLanguage": "JSONata", "StartAt": "Ctx", "States": {"Ctx": {"Type": "Pass", "End": true,
                  "Output": {"name": "{% $states.context.Execution.Name %}", "state": "{% $states.context.State.Name %}",
                             "input": "{% $states.context.Execution.Input %}",
                             "start": "{% $states.context.Execution.StartTime %}"}}}}"""), "run-7", "{\"a\": 1}");

        ExecutionDescription done = harness.await(arn);

        assertThat(json(done.output())).isEqualTo(json("""
                {"name": "run-7", "state": "Ctx", "input": {"a": 1}, "start": "2026-01-01T00:00:00.000Z"}"""));
    }

    @Test
    void jsonataStateCannotUseJsonPathFields() {
        assertThatThrownBy(() -> StateMachineDefinition.parse("""
                {"QueryLanguage": "JSONata", "StartAt": "E", "States": {"E": {"Type": "Pass",
                  "InputPath": "$.a", "End": true}}}"""))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("\"E\"").hasMessageContaining("InputPath");
    }

    @Test
    void aJsonataMachineCannotContainAJsonPathState() {
        // CDK QueryLanguage docs: "If JSONata is specified at the top level, JSONPath cannot be used".
        assertThatThrownBy(() -> StateMachineDefinition.parse("""
                {"QueryLanguage": "JSONata", "StartAt": "E", "States": {"E": {"Type": "Pass",
                  "QueryLanguage": "JSONPath", "End": true}}}"""))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("\"E\"");
    }

    @Test
    void aSingleElementSequenceIsUnwrapped() {
        // Observed on AWS (issue 19): $range(1, 9, 9) is 1, not [1] - JSONata unwraps a sequence of one value
        // (https://docs.jsonata.org/processing, "Sequences"); an array of one, or [...] around it, stays an array.
        assertThat(evaluate("$range(1, 9, 9)")).isEqualTo(json("1"));
        assertThat(evaluate("[$range(1, 9, 9)]")).isEqualTo(json("[1]"));
        assertThat(evaluate("$range(1, 3, 1)")).isEqualTo(json("[1,2,3]"));
        assertThat(evaluate("$count($range(1, 9, 9))")).isEqualTo(json("1"));
    }
}
