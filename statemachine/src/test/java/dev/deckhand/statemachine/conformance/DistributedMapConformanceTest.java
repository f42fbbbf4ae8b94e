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

/**
 * Distributed Map run in-process (state-map-distributed.html), and the Map fields AWS accepts on
 * any Map: tolerated failure thresholds and MaxConcurrencyPath.
 */
class DistributedMapConformanceTest {

    private static final String DISTRIBUTED = "\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"STANDARD\"}";

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    /** A task that fails for the items whose "fail" is true and returns the others' "n". */
    private void checkingTask() {
        harness.resources.register("arn:aws:states:::deckhand:check", invocation -> {
            if (invocation.arguments().path("fail").asBoolean()) {
                throw new StatesError("BadItem", "item " + invocation.arguments().path("n").asInt());
            }
            return invocation.arguments().get("n");
        });
    }

    private String failingItems(int total, int failing) {
        StringBuilder items = new StringBuilder("{\"items\": [");
        for (int i = 0; i < total; i++) {
            items.append(i == 0 ? "" : ", ").append("{\"n\": ").append(i).append(", \"fail\": ").append(i < failing)
                    .append('}');
        }
        return items.append("]}").toString();
    }

    private ExecutionDescription runTolerating(String tolerance, String input) {
        checkingTask();
        return harness.run("""
                {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", %s
                  "ItemProcessor": {%s, "StartAt": "T", "States": {"T": {"Type": "Task",
                    "Resource": "arn:aws:states:::deckhand:check", "End": true}}}, "End": true}}}"""
                .formatted(tolerance, DISTRIBUTED), input);
    }

    @Test
    void aDistributedMapRunsItsItemsInProcessWithItemsPathAndItemSelector() {
        // state-map-distributed.html: items given in the input (ItemsPath), ItemSelector per item; without a
        // ResultWriter the output is the array of the child executions' outputs, in item order.
        String arn = harness.start("""
                {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
                  "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index", "tag.$": "$.tag"},
                  "ItemProcessor": {%s, "StartAt": "W", "States": {
                    "W": {"Type": "Wait", "Seconds": 10, "Next": "P"},
                    "P": {"Type": "Pass", "End": true}}}, "End": true}}}""".formatted(DISTRIBUTED),
                "{\"tag\": \"t\", \"items\": [\"a\", \"b\", \"c\"]}");
        ExecutionDescription done = harness.await(arn);

        assertThat(done.status()).as("%s: %s", done.error(), done.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(done.output())).isEqualTo(json("""
                [{"value": "a", "index": 0, "tag": "t"}, {"value": "b", "index": 1, "tag": "t"},
                 {"value": "c", "index": 2, "tag": "t"}]"""));
        // MaxConcurrency 2: three 10 s children take 20 s.
        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(20));
        // API_HistoryEvent: a Distributed Map records its Map Run (MapRunStarted with the mapRunArn, MapRunSucceeded).
        List<HistoryEvent> history = harness.history(arn);
        assertThat(history.stream().map(HistoryEvent::type)).contains("MapRunStarted", "MapRunSucceeded");
        HistoryEvent started = history.stream().filter(event -> event.type().equals("MapRunStarted")).findFirst().orElseThrow();
        assertThat(started.toJson().path("mapRunStartedEventDetails").path("mapRunArn").asText()).contains(":mapRun:");
    }

    @Test
    void aJsonataDistributedMapTakesItsItemsFromItems() {
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
                  "Items": "{%% $states.input.numbers %%}", "ItemSelector": "{%% $states.context.Map.Item.Value * 2 %%}",
                  "ItemProcessor": {%s, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
                  "End": true}}}""".formatted(DISTRIBUTED), "{\"numbers\": [1, 2, 3]}");

        assertThat(done.status()).as("%s: %s", done.error(), done.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(done.output())).isEqualTo(json("[2, 4, 6]"));
    }

    @Test
    void itemBatcherGivesEachChildABatchOfItemsWithTheBatchInput() {
        // input-output-itembatcher.html: each child execution receives {"Items": [...], "BatchInput": {...}}, at most
        // MaxItemsPerBatch items each.
        ExecutionDescription done = harness.run("""
                {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
                  "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"run.$": "$.run"}},
                  "ItemProcessor": {%s, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
                  "End": true}}}""".formatted(DISTRIBUTED), "{\"run\": 7, \"items\": [1, 2, 3, 4, 5]}");

        assertThat(done.status()).as("%s: %s", done.error(), done.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(done.output())).isEqualTo(json("""
                [{"Items": [1, 2], "BatchInput": {"run": 7}}, {"Items": [3, 4], "BatchInput": {"run": 7}},
                 {"Items": [5], "BatchInput": {"run": 7}}]"""));
    }

    @Test
    void maxInputBytesPerBatchStartsANewBatchBeforeTheLimit() {
        // input-output-itembatcher.html, MaxInputBytesPerBatch: a batch holds items up to that many bytes (the
        // engine counts each item's JSON and a separator: "aaaa" is 7 bytes, so two fit in 14).
        ExecutionDescription done = harness.run("""
                {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
                  "ItemBatcher": {"MaxInputBytesPerBatch": 14},
                  "ItemProcessor": {%s, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
                  "End": true}}}""".formatted(DISTRIBUTED), "{\"items\": [\"aaaa\", \"bbbb\", \"cccc\"]}");

        assertThat(json(done.output())).isEqualTo(json("[{\"Items\": [\"aaaa\", \"bbbb\"]}, {\"Items\": [\"cccc\"]}]"));
    }

    @Test
    void failuresWithinToleratedFailureCountAreAbsorbed() {
        // maprun-fail-threshold.html: the Map Run fails only when the failed items exceed the tolerated count; the
        // output then holds the successful children's outputs.
        ExecutionDescription done = runTolerating("\"ToleratedFailureCount\": 2,", failingItems(5, 2));

        assertThat(done.status()).as("%s: %s", done.error(), done.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(done.output())).isEqualTo(json("[2, 3, 4]"));
    }

    @Test
    void exceedingToleratedFailureCountFailsWithExceedToleratedFailureThreshold() {
        // maprun-fail-threshold.html: "Step Functions returns a States.ExceedToleratedFailureThreshold error when the
        // Map Run fails because it exceeded the specified threshold".
        ExecutionDescription done = runTolerating("\"ToleratedFailureCount\": 2,", failingItems(5, 3));

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
    }

    @Test
    void toleratedFailurePercentageIsTheShareOfFailedItems() {
        // maprun-fail-threshold.html: failed items divided by all items, against ToleratedFailurePercentage; the
        // path form reads it from the input.
        assertThat(runTolerating("\"ToleratedFailurePercentage\": 40,", failingItems(5, 2)).status())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(runTolerating("\"ToleratedFailurePercentage\": 39.5,", failingItems(5, 2)).error())
                .isEqualTo("States.ExceedToleratedFailureThreshold");
        String withThreshold = failingItems(4, 1).replace("{\"items\"", "{\"pct\": 25, \"items\"");
        assertThat(runTolerating("\"ToleratedFailurePercentagePath\": \"$.pct\",", withThreshold).status())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void aDistributedMapWithoutAThresholdFailsOnTheFirstFailedItem() {
        ExecutionDescription done = runTolerating("", failingItems(3, 1));

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("BadItem");
    }

    @Test
    void anInlineMapAcceptsToleratedFailureFieldsAndStillFailsOnAFailedIteration() {
        // Observed on AWS (issue 19): CreateStateMachine accepts the thresholds (and their Path and JSONata forms)
        // on an inline Map; state-map-inline.html: in Inline mode a failed iteration fails the Map state.
        checkingTask();
        StateMachineDefinition.parse("""
                {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
                  "ToleratedFailureCount": "{% 1 %}", "ToleratedFailurePercentage": 50,
                  "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}""");
        ExecutionDescription done = harness.run("""
                {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
                  "ToleratedFailureCountPath": "$.tolerated",
                  "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task",
                    "Resource": "arn:aws:states:::deckhand:check", "End": true}}}, "End": true}}}""",
                failingItems(3, 1).replace("{\"items\"", "{\"tolerated\": 5, \"items\""));

        assertThat(done.error()).isEqualTo("BadItem");
    }

    @Test
    void anInvalidMaxConcurrencyPathValueFailsWithStatesRuntime() {
        // Observed on AWS (issue 19): a MaxConcurrencyPath value that is not a non-negative integer fails the state
        // with States.Runtime.
        for (String value : List.of("\"two\"", "-1", "1.5")) {
            ExecutionDescription done = harness.run("""
                    {"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrencyPath": "$.max",
                      "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
                      "ItemsPath": "$.items", "End": true}}}""", "{\"max\": " + value + ", \"items\": [1]}");
            assertThat(done.error()).as(value).isEqualTo("States.Runtime");
            assertThat(done.cause()).as(value).contains("MaxConcurrencyPath").contains("'M'");
        }
        assertThat(harness.run("""
                {"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrencyPath": "$.max",
                  "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
                  "ItemsPath": "$.items", "End": true}}}""", "{\"max\": 1, \"items\": [1, 2]}").output())
                .isEqualTo("[1,2]");
    }

    @Test
    void anItemReaderOrResultWriterFailsWithANotSupportedLocallyError() {
        // ItemReader and ResultWriter read and write Amazon S3 (input-output-itemreader.html,
        // input-output-resultwriter.html); locally the definition is accepted and the state fails with a clear cause.
        ExecutionDescription reader = harness.run("""
                {"StartAt": "M", "States": {"M": {"Type": "Map",
                  "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                                 "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "b", "Key": "k"}},
                  "ItemProcessor": {%s, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
                  "End": true}}}""".formatted(DISTRIBUTED), "{}");
        ExecutionDescription writer = harness.run("""
                {"StartAt": "M", "States": {"M": {"Type": "Map",
                  "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "p"}},
                  "ItemProcessor": {%s, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
                  "End": true}}}""".formatted(DISTRIBUTED), "[1]");

        assertThat(reader.error()).isEqualTo("States.Runtime");
        assertThat(reader.cause()).contains("ItemReader").contains("not supported locally").contains("'M'");
        assertThat(writer.cause()).contains("ResultWriter").contains("not supported locally");
    }

    @Test
    void distributedChildrenDoNotSeeTheParentsVariables() {
        // workflow-variables.html, "Variable scope": the child workflow executions of a Distributed Map cannot
        // reference the parent workflow's variables.
        ExecutionDescription done = harness.run("""
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"secret": 1}, "Next": "M"},
                  "M": {"Type": "Map", "ItemsPath": "$.items",
                  "ItemProcessor": {%s, "StartAt": "P", "States": {"P": {"Type": "Pass",
                    "Parameters": {"s.$": "$secret"}, "End": true}}}, "End": true}}}""".formatted(DISTRIBUTED),
                "{\"items\": [1]}");

        assertThat(done.error()).isEqualTo("States.Runtime");
        assertThat(done.cause()).contains("$secret");
    }

    @Test
    void distributedOnlyFieldsNeedDistributedModeAndDistributedModeNeedsAnExecutionType() {
        // state-map-distributed.html: ItemReader, ItemBatcher, ResultWriter and Label belong to Distributed Map;
        // ProcessorConfig.ExecutionType is required with Mode DISTRIBUTED.
        assertThatThrownBy(() -> StateMachineDefinition.parse("""
                {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemBatcher": {"MaxItemsPerBatch": 2},
                  "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}"""))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("\"M\"").hasMessageContaining("DISTRIBUTED");
        assertThatThrownBy(() -> StateMachineDefinition.parse("""
                {"StartAt": "M", "States": {"M": {"Type": "Map",
                  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
                    "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}"""))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("ExecutionType");
        assertThatThrownBy(() -> StateMachineDefinition.parse("""
                {"StartAt": "M", "States": {"M": {"Type": "Map", "ToleratedFailurePercentage": 101,
                  "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}"""))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("ToleratedFailurePercentage");
    }
}
