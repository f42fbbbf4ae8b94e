package dev.deckhand.statemachine.conformance;

import static dev.deckhand.statemachine.EngineHarness.START;
import static dev.deckhand.statemachine.EngineHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.statemachine.DefinitionException;
import dev.deckhand.statemachine.EngineHarness;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.statemachine.StateMachineDefinition;
import dev.deckhand.statemachine.StatesError;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Inline Map and Parallel states. */
class MapAndParallelConformanceTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void mapItemSelectorCombinesEachItemWithTheStateInput() {
        // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemselector.html (ship-date example):
        // ItemSelector {"parcel.$": "$$.Map.Item.Value", "courier.$": "$.detail.delivery-partner"}.
        ExecutionDescription done = harness.runFixture("map-shipping.asl.json", """
                {"ship-date": "2016-03-14T01:59:00Z",
                 "detail": {"delivery-partner": "UQS",
                            "shipped": [{"prod": "R31", "dest-code": 9511, "quantity": 1344},
                                        {"prod": "S39", "dest-code": 9511, "quantity": 40}]}}""");

        assertThat(json(done.output())).isEqualTo(json("""
                {"ship-date": "2016-03-14T01:59:00Z",
                 "detail": {"delivery-partner": "UQS",
                            "shipped": [{"parcel": {"prod": "R31", "dest-code": 9511, "quantity": 1344}, "courier": "UQS"},
                                        {"parcel": {"prod": "S39", "dest-code": 9511, "quantity": 40}, "courier": "UQS"}]}}"""));
    }

    @Test
    void maxConcurrencyLimitsHowManyIterationsRunAtOnce() {
        // state-map-inline.html, MaxConcurrency: 4 items of 10 s each, 2 at a time, take 20 s of simulated time.
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": 2,
                  "Items": "{% $states.input.items %}",
                  "ItemProcessor": {"StartAt": "W", "States": {
                    "W": {"Type": "Wait", "Seconds": 10, "Next": "Out"},
                    "Out": {"Type": "Pass", "Output": "{% $states.input * 10 %}", "End": true}}},
                  "End": true}}}""", "{\"items\": [1, 2, 3, 4]}");

        assertThat(json(done.output())).isEqualTo(json("[10, 20, 30, 40]"));
        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(20));
    }

    @Test
    void inlineMapRunsAtMostFortyIterationsAtOnce() {
        // tutorial-get-started-map-iterate-items.html: "Inline mode, which supports up to 40 concurrent iterations".
        // 41 items of 10 s each with no MaxConcurrency: the 41st starts when the first 40 end.
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
                  "Items": "{% [1..41] %}",
                  "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": true}}},
                  "End": true}}}""", "{}");

        assertThat(json(done.output())).hasSize(41);
        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(20));
    }

    @Test
    void jsonataItemSelectorSeesTheMapItemInTheContext() {
        // transforming-data.html: $states.context.Map.Item.Index / Value in ItemSelector.
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
                  "ItemSelector": {"i": "{% $states.context.Map.Item.Index %}", "v": "{% $states.context.Map.Item.Value %}",
                                   "tag": "{% $states.input.tag %}"},
                  "Items": "{% $states.input.list %}",
                  "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}""",
                "{\"tag\": \"t\", \"list\": [\"a\", \"b\"]}");

        assertThat(json(done.output())).isEqualTo(json("""
                [{"i": 0, "v": "a", "tag": "t"}, {"i": 1, "v": "b", "tag": "t"}]"""));
    }

    @Test
    void aFailingIterationFailsTheMapWithItsError() {
        harness.resources.register("arn:aws:states:::deckhand:check", invocation -> {
            if (invocation.arguments().asInt() == 2) {
                throw new StatesError("BadItem", "item 2");
            }
            return invocation.arguments();
        });
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
                  "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task",
                    "Resource": "arn:aws:states:::deckhand:check", "End": true}}},
                  "Catch": [{"ErrorEquals": ["BadItem"], "Next": "Caught"}], "End": true},
                  "Caught": {"Type": "Pass", "End": true}}}""", "[1, 2, 3]");

        assertThat(json(done.output())).isEqualTo(json("{\"Error\": \"BadItem\", \"Cause\": \"item 2\"}"));
    }

    @Test
    void anEmptyArrayGivesAnEmptyResult() {
        ExecutionDescription done = harness.run("""
                {"StartAt": "M", "States": {"M": {"Type": "Map",
                  "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}""",
                "[]");

        assertThat(json(done.output())).isEqualTo(json("[]"));
    }

    @Test
    void parallelOutputIsTheArrayOfBranchOutputsAndBranchesRunConcurrently() {
        // https://states-language.net/spec.html#parallel-state: "the output is an array with one element per branch".
        ExecutionDescription done = harness.runFixture("parallel-branches.asl.json", "[3, 2]");

        assertThat(json(done.output())).isEqualTo(json("[5, 1]"));
        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(10));
    }

    @Test
    void aFailingBranchFailsTheParallelStateWithTheBranchError() {
        // ASL spec, "Parallel State": if any branch fails, the Parallel state fails; Catch can handle it.
        ExecutionDescription done = harness.run("""
                {"StartAt": "Par", "States": {
                  "Par": {"Type": "Parallel", "End": true,
                          "Catch": [{"ErrorEquals": ["Branch.Broken"], "ResultPath": "$.error", "Next": "Caught"}],
                          "Branches": [
                            {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 3600, "End": true}}},
                            {"StartAt": "Broken", "States": {"Broken": {"Type": "Fail", "Error": "Branch.Broken", "Cause": "no"}}}]},
                  "Caught": {"Type": "Pass", "End": true}}}""", "{\"in\": 1}");

        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(done.output())).isEqualTo(json("{\"in\": 1, \"error\": {\"Error\": \"Branch.Broken\", \"Cause\": \"no\"}}"));
        assertThat(done.stopDate()).isEqualTo(START);
    }

    @Test
    void jsonPathParallelAppliesParametersResultSelectorAndResultPath() {
        // input-output-inputpath-params.html: Parameters build each branch's input; ResultSelector and ResultPath
        // then shape the array of branch outputs.
        ExecutionDescription done = harness.run("""
                {"StartAt": "Par", "States": {"Par": {"Type": "Parallel", "End": true,
                  "Parameters": {"n.$": "$.n"},
                  "ResultSelector": {"first.$": "$[0].n", "second.$": "$[1]"},
                  "ResultPath": "$.results",
                  "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                    {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": "b", "End": true}}}]}}}""",
                "{\"n\": 7, \"keep\": true}");

        assertThat(json(done.output())).isEqualTo(json("{\"n\": 7, \"keep\": true, \"results\": {\"first\": 7, \"second\": \"b\"}}"));
    }

    @Test
    void itemsThatAreNotAnArrayFailTheMap() {
        ExecutionDescription jsonPath = harness.run("""
                {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
                  "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}""",
                "{\"items\": {\"not\": \"an array\"}}");
        ExecutionDescription jsonata = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map", "Items": "{% 'text' %}",
                  "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}""",
                "{}");

        assertThat(jsonPath.error()).isEqualTo("States.Runtime");
        assertThat(jsonata.error()).isEqualTo("States.QueryEvaluationError");
    }

    @Test
    void historyRecordsParallelAndMapLifecycleEvents() {
        String arn = harness.start(EngineHarness.resource("definitions/parallel-branches.asl.json"), "[1, 1]");
        harness.await(arn);

        List<String> types = harness.history(arn).stream().map(HistoryEvent::type).toList();
        assertThat(types).startsWith("ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted")
                .endsWith("ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded")
                .contains("WaitStateEntered", "PassStateExited");
    }
}
