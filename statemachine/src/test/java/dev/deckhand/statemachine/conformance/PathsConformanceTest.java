package dev.deckhand.statemachine.conformance;

import static dev.deckhand.statemachine.EngineHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.deckhand.statemachine.EngineHarness;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** JSONPath input and output processing; each expectation is the documented example's output. */
class PathsConformanceTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private void helloFunction() {
        harness.resources.register("arn:aws:lambda:us-east-1:123456789012:function:HelloFunction",
                invocation -> TextNode.valueOf("Hello, " + invocation.arguments().get("who").asText() + "!"));
    }

    @Test
    void inputPathResultPathAndOutputPathCombineAsInTheDocumentedExample() {
        // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-example.html
        helloFunction();
        ExecutionDescription done = harness.runFixture("paths-example.asl.json", """
                {"comment": "An input comment.", "data": {"val1": 23, "val2": 17}, "extra": "foo",
                 "lambda": {"who": "AWS Step Functions"}}""");

        assertThat(json(done.output())).isEqualTo(json("""
                {"val1": 23, "val2": 17, "lambdaresult": "Hello, AWS Step Functions!"}"""));
    }

    @Test
    void inputPathSelectsPartOfTheInput() {
        // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html#input-output-inputpath
        ExecutionDescription done = harness.run("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.dataset2", "End": true}}}""", """
                {"comment": "Example for InputPath.", "dataset1": {"val1": 1, "val2": 2, "val3": 3},
                 "dataset2": {"val1": "a", "val2": "b", "val3": "c"}}""");

        assertThat(json(done.output())).isEqualTo(json("{\"val1\": \"a\", \"val2\": \"b\", \"val3\": \"c\"}"));
    }

    @Test
    void parametersBuildANewObjectFromPathsAndStaticValues() {
        // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html#input-output-parameters
        ExecutionDescription done = harness.run("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
                  "Parameters": {"comment": "Selecting what I care about.",
                    "MyDetails": {"size.$": "$.product.details.size", "exists.$": "$.product.availability",
                                  "StaticValue": "foo"}}}}}""", """
                {"comment": "Example for Parameters.",
                 "product": {"details": {"color": "blue", "size": "small", "material": "cotton"},
                             "availability": "in stock", "sku": "2317", "cost": "$23"}}""");

        assertThat(json(done.output())).isEqualTo(json("""
                {"comment": "Selecting what I care about.",
                 "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"}}"""));
    }

    @Test
    void resultSelectorPicksFromTheResultBeforeResultPathMergesIt() {
        // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html#input-output-resultselector
        harness.resources.register("arn:aws:states:::elasticmapreduce:createCluster.sync", invocation -> json("""
                {"resourceType": "elasticmapreduce", "resource": "createCluster.sync",
                 "output": {"SdkHttpMetadata": {"HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId": "1234"},
                            "ClusterId": "AKIAIOSFODNN7EXAMPLE"}}"""));
        ExecutionDescription done = harness.run("""
                {"StartAt": "CreateCluster", "States": {"CreateCluster": {"Type": "Task",
                  "Resource": "arn:aws:states:::elasticmapreduce:createCluster.sync",
                  "ResultSelector": {"ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType"},
                  "ResultPath": "$.EMROutput", "End": true}}}""", "{\"Name\": \"MyWorkflowCluster\"}");

        assertThat(json(done.output())).isEqualTo(json("""
                {"Name": "MyWorkflowCluster",
                 "EMROutput": {"ClusterId": "AKIAIOSFODNN7EXAMPLE", "ResourceType": "elasticmapreduce"}}"""));
    }

    private static final String RESULT_PATH_INPUT = """
            {"comment": "This is a test of the input and output of a Task state.", "details": "Default example",
             "who": "AWS Step Functions"}""";

    private String resultPathMachine(String resultPath) {
        return """
                {"StartAt": "T", "States": {"T": {"Type": "Task",
                  "Resource": "arn:aws:lambda:us-east-1:123456789012:function:HelloFunction",
                  "ResultPath": %s, "End": true}}}""".formatted(resultPath);
    }

    @Test
    void resultPathDollarReplacesTheInputWithTheResult() {
        // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html#input-output-resultpath-default
        helloFunction();
        ExecutionDescription done = harness.run(resultPathMachine("\"$\""), RESULT_PATH_INPUT);

        assertThat(json(done.output())).isEqualTo(TextNode.valueOf("Hello, AWS Step Functions!"));
    }

    @Test
    void resultPathNullDiscardsTheResultAndKeepsTheInput() {
        // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html#input-output-resultpath-null
        helloFunction();
        ExecutionDescription done = harness.run(resultPathMachine("null"), RESULT_PATH_INPUT);

        assertThat(json(done.output())).isEqualTo(json(RESULT_PATH_INPUT));
    }

    @Test
    void resultPathAddsTheResultToTheInput() {
        // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html#input-output-resultpath-append
        helloFunction();
        ExecutionDescription done = harness.run(resultPathMachine("\"$.taskresult\""), RESULT_PATH_INPUT);

        assertThat(json(done.output())).isEqualTo(json("""
                {"comment": "This is a test of the input and output of a Task state.", "details": "Default example",
                 "who": "AWS Step Functions", "taskresult": "Hello, AWS Step Functions!"}"""));
    }

    @Test
    void resultPathIntoNestedObjectsAndArraysLeavesTheStateInputUnchanged() {
        // input-output-resultpath.html: ResultPath adds the result to the state's input to form its output; the
        // input itself is what $$.Execution.Input shows (context-object.html), so it must read as it was given.
        ExecutionDescription done = harness.run("""
                {"StartAt": "A", "States": {
                  "A": {"Type": "Pass", "Result": "x", "ResultPath": "$.list[1].v", "Next": "B"},
                  "B": {"Type": "Pass", "Result": {"deep": true}, "ResultPath": "$.other.fresh.leaf", "Next": "C"},
                  "C": {"Type": "Pass", "Parameters": {"given.$": "$$.Execution.Input", "now.$": "$"}, "End": true}}}""",
                "{\"list\": [{\"v\": 0}, {\"w\": 2}], \"other\": {\"k\": [1]}, \"same\": {\"s\": 1}}");

        assertThat(json(done.output()).get("given")).isEqualTo(
                json("{\"list\": [{\"v\": 0}, {\"w\": 2}], \"other\": {\"k\": [1]}, \"same\": {\"s\": 1}}"));
        assertThat(json(done.output()).get("now")).isEqualTo(json("""
                {"list": [{"v": 0}, {"w": 2, "v": "x"}], "other": {"k": [1], "fresh": {"leaf": {"deep": true}}},
                 "same": {"s": 1}}"""));
    }

    @Test
    void aParallelBranchSettingAResultPathDoesNotChangeWhatItsSiblingSees() {
        // state-parallel.html, "Parallel state input and output processing" (ASL spec, "Parallel State"): a Parallel
        // state gives each branch a copy of its own input. Branch A writes into
        // $.shared.seen; branch B, started after A is done (it waits 1 s on the engine clock), must still see
        // the input without it.
        ExecutionDescription done = harness.run("""
                {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
                  {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1, "ResultPath": "$.shared.seen", "End": true}}},
                  {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "Next": "B"},
                                              "B": {"Type": "Pass", "End": true}}}]}}}""",
                "{\"shared\": {\"k\": 1}}");

        assertThat(json(done.output())).isEqualTo(json("[{\"shared\": {\"k\": 1, \"seen\": 1}}, {\"shared\": {\"k\": 1}}]"));
    }

    @Test
    void resultPathIntoANonObjectInputFailsWithResultPathMatchFailure() {
        // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (States.ResultPathMatchFailure)
        ExecutionDescription done = harness.run("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "ResultPath": "$.x", "End": true}}}""",
                "[1, 2]");

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("States.ResultPathMatchFailure");
    }

    @Test
    void nullInputPathAndOutputPathGiveAnEmptyObject() {
        // https://states-language.net/spec.html#filters: "If the value of InputPath is null, ... {}"
        ExecutionDescription done = harness.run("""
                {"StartAt": "A", "States": {
                  "A": {"Type": "Pass", "InputPath": null, "ResultPath": "$.seen", "Next": "B"},
                  "B": {"Type": "Pass", "OutputPath": null, "End": true}}}""", "{\"a\": 1}");

        assertThat(json(done.output())).isEqualTo(json("{}"));
    }

    @Test
    void contextObjectIsReachableWithDoubleDollar() {
        // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html#contextobject-access
        String arn = harness.engine.startExecution(harness.machine("""
                {"StartAt": "Get execution context data", "States": {"Get execution context data": {"Type": "Pass",
                  "Parameters": {"Comment": "Now with context", "execution.$": "$$.Execution.Id",
                                 "state.$": "$$.State.Name", "retries.$": "$$.State.RetryCount"}, "End": true}}}"""),
                "ctx-example", "{}");

        ExecutionDescription done = harness.await(arn);

        assertThat(json(done.output())).isEqualTo(json("""
                {"Comment": "Now with context", "execution": "%s", "state": "Get execution context data", "retries": 0}"""
                .formatted(arn)));
    }

    @Test
    void aPathThatMatchesNothingIsAStatesRuntimeErrorThatCatchCannotHandle() {
        // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (States.Runtime:
        // "A retry or catch on States.ALL won't catch States.Runtime errors.")
        ExecutionDescription done = harness.run("""
                {"StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:noop",
                        "Parameters": {"x.$": "$.missing"}, "End": true,
                        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]},
                  "Caught": {"Type": "Succeed"}}}""", "{}");

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("States.Runtime");
        assertThat(done.cause()).contains("$.missing");
    }

    @Test
    void aWildcardOrSliceOnAMissingPathSelectsAnEmptyList() {
        // Observed on AWS (issue 19, recorded executions): "$.items[*]" and "$.items[1:]" on an input without
        // items give [] (an indefinite path selects a list, possibly empty); a definite path still fails.
        ExecutionDescription done = harness.run("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
                  "Parameters": {"all.$": "$.items[*]", "rest.$": "$.items[1:]", "deep.$": "$.a.b[*].c"}}}}""",
                "{\"other\": 1}");

        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(done.output())).isEqualTo(json("{\"all\": [], \"rest\": [], \"deep\": []}"));
        assertThat(harness.run("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
                  "Parameters": {"one.$": "$.items[0]"}}}}""", "{}").error()).isEqualTo("States.Runtime");
    }

    @Test
    void bracketKeysMayHoldEscapedQuotesInPathsAndResultPath() {
        // ASL spec, "Paths": bracket notation names keys dots cannot, and a quote inside is escaped with a
        // backslash; AWS reads and writes such keys (observed, issue 19). In the JSON text below, \\' is \'.
        ExecutionDescription done = harness.run("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
                  "Parameters": {"v.$": "$['it\\\\'s']"}, "ResultPath": "$['it\\\\'s new']"}}}""",
                "{\"it's\": 7}");

        assertThat(done.status()).as("%s: %s", done.error(), done.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(done.output())).isEqualTo(json("{\"it's\": 7, \"it's new\": {\"v\": 7}}"));
    }

    @Test
    void aPathErrorCauseCarriesAwsPreambleWithTheStateAndItsEnteredEventId() {
        // AWS Step Functions workshop, "Error handling" (the cause shown in the console):
        // "An error occurred while executing the state 'Check Address' (entered at the event id #7). The JSONPath
        // '$.application.address' specified for the field 'address.$' could not be found in the input
        // '{"flagged":false}'". Here 'Check Address' is entered at event #4 (ExecutionStarted 1, First 2-3).
        ExecutionDescription done = harness.run("""
                {"StartAt": "First", "States": {"First": {"Type": "Pass", "Next": "Check Address"},
                  "Check Address": {"Type": "Pass", "Parameters": {"address.$": "$.application.address"},
                    "End": true}}}""", "{\"flagged\": false}");

        assertThat(done.error()).isEqualTo("States.Runtime");
        assertThat(done.cause()).isEqualTo("An error occurred while executing the state 'Check Address' (entered at "
                + "the event id #4). The JSONPath '$.application.address' specified for the field 'address.$' could "
                + "not be found in the input '{\"flagged\":false}'");
    }

    @Test
    void anInputPathErrorHasThePreambleWhileATaskHandlersErrorKeepsItsOwnCause() {
        // The preamble is for errors of the state's own data processing; a task reports its handler's cause as is.
        harness.resources.register("arn:aws:states:::deckhand:broken", invocation -> {
            throw new dev.deckhand.statemachine.StatesError("States.Runtime", "the handler's own words");
        });
        ExecutionDescription caught = harness.run("""
                {"StartAt": "T", "States": {"T": {"Type": "Pass", "InputPath": "$.missing", "End": true}}}""", "{}");
        ExecutionDescription task = harness.run("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:broken",
                  "End": true}}}""", "{}");

        assertThat(caught.cause()).startsWith("An error occurred while executing the state 'T' (entered at the event "
                + "id #2). The JSONPath '$.missing' specified for the field 'InputPath'");
        assertThat(task.cause()).isEqualTo("the handler's own words");
    }
}
