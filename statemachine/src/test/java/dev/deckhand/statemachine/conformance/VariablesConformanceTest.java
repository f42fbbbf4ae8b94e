package dev.deckhand.statemachine.conformance;

import static dev.deckhand.statemachine.EngineHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.statemachine.EngineHarness;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Workflow variables, https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html. */
class VariablesConformanceTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void assignmentsOfAStateAllSeeTheValuesFromBeforeTheState() {
        // workflow-variables.html: Assign expressions are evaluated with the variable values at state entry,
        // so {"x": "{% $y %}", "y": "{% $x %}"} swaps them; Output of the same state also sees the old values.
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
                  "Init": {"Type": "Pass", "Assign": {"x": 1, "y": 2}, "Next": "Swap"},
                  "Swap": {"Type": "Pass", "Assign": {"x": "{% $y %}", "y": "{% $x %}"},
                           "Output": {"during": ["{% $x %}", "{% $y %}"]}, "Next": "Show"},
                  "Show": {"Type": "Pass", "Output": {"during": "{% $states.input.during %}",
                           "after": ["{% $x %}", "{% $y %}"]}, "End": true}}}""", "{}");

        assertThat(json(done.output())).isEqualTo(json("{\"during\": [1, 2], \"after\": [2, 1]}"));
    }

    @Test
    void taskAssignSeesTheResult() {
        harness.resources.register("arn:aws:states:::deckhand:revision", invocation -> json("{\"revision\": 7}"));
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:revision",
                        "Assign": {"previous": "{% $states.result.revision %}"}, "Output": {}, "Next": "Show"},
                  "Show": {"Type": "Pass", "Output": "{% $previous %}", "End": true}}}""", "{}");

        assertThat(json(done.output()).asInt()).isEqualTo(7);
    }

    @Test
    void branchesReadOuterVariablesButTheirOwnStayInside() {
        // workflow-variables.html, "Variable scope": a Parallel branch or Map iteration can read variables of outer
        // scopes; variables it assigns are not visible outside (return data with Output).
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
                  "Init": {"Type": "Pass", "Assign": {"outer": "o", "inner": "outer-value"}, "Next": "Par"},
                  "Par": {"Type": "Parallel", "Next": "After", "Branches": [
                    {"StartAt": "B1", "States": {
                      "B1": {"Type": "Pass", "Assign": {"inner": "branch-value"}, "Next": "B2"},
                      "B2": {"Type": "Pass", "Output": {"outer": "{% $outer %}", "inner": "{% $inner %}"}, "End": true}}}]},
                  "After": {"Type": "Pass", "Output": {"branch": "{% $states.input[0] %}", "inner": "{% $inner %}"},
                            "End": true}}}""", "{}");

        assertThat(json(done.output())).isEqualTo(json("""
                {"branch": {"outer": "o", "inner": "branch-value"}, "inner": "outer-value"}"""));
    }

    @Test
    void jsonPathAssignUsesDollarForTheStateResultAndDollarNameForVariables() {
        ExecutionDescription done = harness.run("""
                {"StartAt": "A", "States": {
                  "A": {"Type": "Pass", "Result": {"id": "abc"}, "Assign": {"saved.$": "$.id", "literal": 5}, "Next": "B"},
                  "B": {"Type": "Pass", "Parameters": {"saved.$": "$saved", "literal.$": "$literal"}, "End": true}}}""",
                "{}");

        assertThat(json(done.output())).isEqualTo(json("{\"saved\": \"abc\", \"literal\": 5}"));
    }

    @Test
    void historyShowsAssignedVariablesOnStateExit() {
        // API_StateExitedEventDetails: assignedVariables maps each name to its JSON-serialized value.
        harness.resources.register("arn:aws:states:::deckhand:one", invocation -> json("1"));
        String arn = harness.start("""
                {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:one", "Assign": {"n": 1}, "End": true}}}""",
                "{}");
        ExecutionDescription done = harness.await(arn);

        List<HistoryEvent> exited = harness.history(arn).stream()
                .filter(event -> event.type().equals("TaskStateExited")).toList();
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(exited).hasSize(1);
        assertThat(exited.get(0).details().get("assignedVariables")).isEqualTo(json("{\"n\": \"1\"}"));
    }

    @Test
    void passWaitAndChoiceStatesReportTheirAssignmentsToo() {
        String arn = harness.start("""
                {"StartAt": "P", "States": {
                  "P": {"Type": "Pass", "Assign": {"a": "x"}, "Next": "W"},
                  "W": {"Type": "Wait", "Seconds": 1, "Assign": {"b": 2}, "Next": "C"},
                  "C": {"Type": "Choice", "Default": "End", "Assign": {"c": true},
                        "Choices": [{"Variable": "$.never", "IsPresent": true, "Next": "End"}]},
                  "End": {"Type": "Succeed"}}}""", "{}");
        harness.await(arn);

        List<HistoryEvent> exits = harness.history(arn).stream()
                .filter(event -> event.type().endsWith("StateExited")).toList();
        assertThat(exits).extracting(HistoryEvent::stateName).containsExactly("P", "W", "C", "End");
        assertThat(exits.get(0).details().get("assignedVariables")).isEqualTo(json("{\"a\": \"\\\"x\\\"\"}"));
        assertThat(exits.get(1).details().get("assignedVariables")).isEqualTo(json("{\"b\": \"2\"}"));
        assertThat(exits.get(2).details().get("assignedVariables")).isEqualTo(json("{\"c\": \"true\"}"));
        assertThat(exits.get(3).details().has("assignedVariables")).isFalse();
    }
}
