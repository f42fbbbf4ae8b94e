package dev.deckhand.statemachine;

import static dev.deckhand.statemachine.JsonPathDataFlow.read;
import static dev.deckhand.statemachine.JsonPathDataFlow.template;
import static dev.deckhand.statemachine.JsonataDataFlow.withContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.statemachine.clock.EngineClock;
import dev.deckhand.statemachine.jsonata.JsonataExpressions;
import dev.deckhand.statemachine.jsonpath.JsonPaths;
import dev.deckhand.statemachine.jsonpath.PathScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Runs one Map state: its items, ItemSelector and ItemBatcher, its iterations (concurrently, at most
 * MaxConcurrency at a time, through the engine), and for a Distributed Map its Map Run and tolerated
 * failures (https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html).
 */
final class MapStateRunner {

    private final Interpreter interpreter;
    private final StepFunctionsEngine engine;
    private final EngineClock clock;
    private final Execution execution;

    MapStateRunner(Interpreter interpreter, StepFunctionsEngine engine, EngineClock clock, Execution execution) {
        this.interpreter = interpreter;
        this.engine = engine;
        this.clock = clock;
        this.execution = execution;
    }

    JsonNode run(State state, StateKind.Map map, JsonNode effectiveInput, Map<String, JsonNode> bindings,
                 Variables variables, Execution.Lane lane, JsonNode context) {
        MapSpec spec = map.spec();
        if (spec.itemReader() || spec.resultWriter()) {
            throw new StatesError(StatesError.RUNTIME, "The " + (spec.itemReader() ? "ItemReader" : "ResultWriter")
                    + " of Map state '" + state.name() + "' needs Amazon S3, which is not supported locally: give the "
                    + "items in the input (" + (state.jsonata() ? "Items" : "ItemsPath") + ") and take the results "
                    + "from the state's output");
        }
        PathScope scope = new PathScope(effectiveInput, context, variables.visible());
        JsonNode items = state.jsonata()
                ? map.items() != null ? interpreter.evalJsonata(map.items(), bindings, "Items") : effectiveInput
                : map.itemsPath() != null ? read(map.itemsPath(), scope, "ItemsPath") : effectiveInput;
        if (!items.isArray()) {
            throw new StatesError(state.jsonata() ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME,
                    "The items of Map state '" + state.name() + "' must be a JSON array, got " + items);
        }
        int maxConcurrency = (int) mapNumber(state, "MaxConcurrency", map.maxConcurrency(), map.maxConcurrencyPath(),
                bindings, scope, 0, Integer.MAX_VALUE, 0);
        ObjectNode started = Json.MAPPER.createObjectNode();
        started.put("length", items.size());
        interpreter.record(lane, "MapStateStarted", "mapStateStartedEventDetails", started);
        MapRun run = spec.distributed() ? startMapRun(state, map, lane) : null;
        try {
            MapIterations iterations = iterations(state, map, spec, items, effectiveInput, bindings, variables, context,
                    scope);
            long toleratedCount = spec.distributed() ? (long) mapNumber(state, "ToleratedFailureCount", spec.toleratedCount(),
                    spec.toleratedCountPath(), bindings, scope, 0, Long.MAX_VALUE, -1) : -1;
            double toleratedPercentage = spec.distributed() ? mapNumber(state, "ToleratedFailurePercentage",
                    spec.toleratedPercentage(), spec.toleratedPercentagePath(), bindings, scope, 0, 100, -1) : -1;
            boolean tolerant = toleratedCount >= 0 || toleratedPercentage >= 0;
            List<Integer> failedItems = new ArrayList<>();
            StateGraph processor = map.processor();
            int concurrency = maxConcurrency > 0 ? maxConcurrency
                    : spec.distributed() ? MapSpec.DISTRIBUTED_CONCURRENCY : 0;
            List<JsonNode> results = ChildRuns.run(clock, execution, iterations.inputs().size(), concurrency, index -> {
                Execution.Lane iterationLane = lane.fork();
                ObjectNode iteration = Json.MAPPER.createObjectNode();
                iteration.put("name", state.name());
                iteration.put("index", index);
                interpreter.record(iterationLane, "MapIterationStarted", "mapIterationStartedEventDetails", iteration);
                // workflow-variables.html: the child workflows of a Distributed Map cannot see the parent's variables.
                Variables scopeOfIteration = spec.distributed() ? new Variables(null) : variables.child();
                try {
                    JsonNode output = interpreter.runGraph(processor, processor.startAt(), iterations.input(index),
                            scopeOfIteration, iterationLane, false);
                    interpreter.record(iterationLane, "MapIterationSucceeded", "mapIterationSucceededEventDetails", iteration.deepCopy());
                    return output;
                } catch (Interpreter.Interrupted e) {
                    interpreter.record(iterationLane, "MapIterationAborted", "mapIterationAbortedEventDetails", iteration.deepCopy());
                    throw e;
                } catch (StatesError e) {
                    interpreter.record(iterationLane, "MapIterationFailed", "mapIterationFailedEventDetails", iteration.deepCopy());
                    if (!tolerant) {
                        throw e;
                    }
                    synchronized (failedItems) {
                        failedItems.add(iterations.itemCount(index));
                    }
                    return null;
                }
            });
            checkTolerance(state, failedItems, items.size(), toleratedCount, toleratedPercentage);
            ArrayNode array = Json.MAPPER.createArrayNode();
            // A tolerated failure contributes no result (the Map's output holds the successful children's outputs).
            results.stream().filter(java.util.Objects::nonNull).forEach(array::add);
            if (run != null) {
                interpreter.record(lane, "MapRunSucceeded", null, null);
            }
            interpreter.record(lane, "MapStateSucceeded", null, null);
            return array;
        } catch (StatesError e) {
            if (run != null) {
                ObjectNode failed = Json.MAPPER.createObjectNode();
                failed.put("error", e.error());
                failed.put("cause", e.cause());
                interpreter.record(lane, "MapRunFailed", "mapRunFailedEventDetails", failed);
            }
            interpreter.record(lane, "MapStateFailed", null, null);
            throw e;
        }
    }

    /** A Distributed Map's Map Run: its ARN in the MapRunStarted event (API_MapRunStartedEventDetails). */
    private record MapRun(String arn) {
    }

    private MapRun startMapRun(State state, StateKind.Map map, Execution.Lane lane) {
        String label = map.label() != null ? map.label() : state.name();
        String arn = execution.stateMachineArn.replace(":stateMachine:", ":mapRun:") + "/" + label + ":"
                + java.util.UUID.nameUUIDFromBytes((execution.arn + "/" + state.name() + "/" + clock.now())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ObjectNode details = Json.MAPPER.createObjectNode();
        details.put("mapRunArn", arn);
        interpreter.record(lane, "MapRunStarted", "mapRunStartedEventDetails", details);
        return new MapRun(arn);
    }

    /**
     * What each iteration (each child execution of a Distributed Map) receives: an item through
     * ItemSelector, or with ItemBatcher a batch {@code {"Items": [...], "BatchInput": ...}} of selected
     * items (input-output-itembatcher.html: ItemSelector applies to each item before batching).
     */
    private record MapIterations(List<JsonNode> inputs, List<Integer> sizes, IntFunction<JsonNode> lazy) {
        JsonNode input(int index) {
            return inputs.get(index) != null ? inputs.get(index) : lazy.apply(index);
        }

        int itemCount(int index) {
            return sizes == null ? 1 : sizes.get(index);
        }
    }

    private MapIterations iterations(State state, StateKind.Map map, MapSpec spec, JsonNode items,
                                     JsonNode effectiveInput,
                                     Map<String, JsonNode> bindings, Variables variables, JsonNode context,
                                     PathScope scope) {
        JsonNode selector = map.itemSelector();
        IntFunction<JsonNode> select = index -> {
            JsonNode item = items.get(index);
            if (selector == null) {
                return item;
            }
            ObjectNode mapItem = Json.MAPPER.createObjectNode();
            mapItem.put("Index", index);
            mapItem.set("Value", item);
            JsonNode itemContext = context.deepCopy();
            ((ObjectNode) itemContext).putObject("Map").set("Item", mapItem);
            return state.jsonata()
                    ? interpreter.evalJsonata(selector, withContext(bindings, itemContext), "ItemSelector")
                    : template(selector, effectiveInput, itemContext, variables, "ItemSelector");
        };
        if (spec.batcher() == null) {
            // Selected lazily, on each iteration's own thread.
            return new MapIterations(java.util.Collections.nCopies(items.size(), null), null, select);
        }
        MapSpec.ItemBatcher batcher = spec.batcher();
        long maxItems = (long) mapNumber(state, "MaxItemsPerBatch", batcher.maxItems(), batcher.maxItemsPath(), bindings,
                scope, 1, Integer.MAX_VALUE, Integer.MAX_VALUE);
        long maxBytes = (long) mapNumber(state, "MaxInputBytesPerBatch", batcher.maxBytes(), batcher.maxBytesPath(),
                bindings, scope, 1, Interpreter.MAX_PAYLOAD_BYTES, Interpreter.MAX_PAYLOAD_BYTES);
        JsonNode batchInput = batcher.batchInput() == null ? null : state.jsonata()
                ? interpreter.evalJsonata(batcher.batchInput(), bindings, "BatchInput")
                : JsonPaths.template(batcher.batchInput(), scope, "BatchInput");
        List<JsonNode> batches = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        ArrayNode batch = null;
        long batchBytes = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode selected = select.apply(i);
            long bytes = Json.write(selected).getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
            if (batch == null || batch.size() >= maxItems || batchBytes + bytes > maxBytes) {
                ObjectNode next = Json.MAPPER.createObjectNode();
                batch = next.putArray("Items");
                if (batchInput != null) {
                    next.set("BatchInput", batchInput);
                }
                batches.add(next);
                sizes.add(0);
                batchBytes = 0;
            }
            batch.add(selected);
            batchBytes += bytes;
            sizes.set(sizes.size() - 1, sizes.get(sizes.size() - 1) + 1);
        }
        return new MapIterations(batches, sizes, index -> batches.get(index));
    }

    /**
     * A Map number given as a literal, a reference path or a JSONata expression; absent gives
     * {@code absent}. A value that is not a number in range fails the state with States.Runtime
     * (States.QueryEvaluationError for JSONata), as AWS does for an invalid MaxConcurrencyPath value
     * (observed on AWS, issue 19).
     */
    private double mapNumber(State state, String field, JsonNode literal, String path, Map<String, JsonNode> bindings,
                             PathScope scope, long min, long max, long absent) {
        JsonNode value;
        if (literal != null) {
            value = JsonataExpressions.isExpression(literal) ? interpreter.evalJsonata(literal, bindings, field) : literal;
        } else if (path != null) {
            value = read(path, scope, field + "Path");
        } else {
            return absent;
        }
        boolean percentage = field.equals("ToleratedFailurePercentage");
        boolean valid = value.isNumber() && (percentage || value.isIntegralNumber()
                || value.asDouble() == Math.rint(value.asDouble()))
                && value.asDouble() >= min && value.asDouble() <= max;
        if (!valid) {
            throw new StatesError(state.jsonata() ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME,
                    "The value of " + (literal == null ? field + "Path" : field) + " of Map state '" + state.name()
                    + "' must be " + (percentage ? "a number from 0 to 100" : "an integer from " + min
                    + (max == Integer.MAX_VALUE || max == Long.MAX_VALUE ? " up" : " to " + max)) + ", got " + value);
        }
        return value.asDouble();
    }

    /**
     * maprun-fail-threshold.html: the Map Run fails with States.ExceedToleratedFailureThreshold when the
     * failed items exceed ToleratedFailureCount, or their share of all items exceeds
     * ToleratedFailurePercentage (either one suffices when both are given).
     */
    private static void checkTolerance(State state, List<Integer> failedItems, int totalItems, long toleratedCount,
                                       double toleratedPercentage) {
        int failed = failedItems.stream().mapToInt(Integer::intValue).sum();
        boolean overCount = toleratedCount >= 0 && failed > toleratedCount;
        boolean overPercentage = toleratedPercentage >= 0 && totalItems > 0
                && failed * 100.0 / totalItems > toleratedPercentage;
        if (overCount || overPercentage) {
            throw new StatesError(StatesError.EXCEED_TOLERATED_FAILURE_THRESHOLD, "The specified tolerated failure "
                    + "threshold was exceeded: " + failed + " of " + totalItems + " items of Map state '" + state.name()
                    + "' failed");
        }
    }
}
