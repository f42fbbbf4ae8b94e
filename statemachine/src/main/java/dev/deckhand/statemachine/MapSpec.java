package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.statemachine.jsonata.JsonataExpressions;
import java.util.Set;

/**
 * What a Map state adds to the common fields, read once at load: its processing mode and the
 * Distributed Map settings (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html).
 * A threshold or batch size is a literal, a reference path ({@code …Path}) or a JSONata expression;
 * paths and expressions are evaluated when the state runs.
 *
 * @param distributed         {@code ProcessorConfig.Mode} is {@code DISTRIBUTED}
 * @param toleratedCount      {@code ToleratedFailureCount} (literal or JSONata), or null
 * @param toleratedCountPath  {@code ToleratedFailureCountPath}, or null
 * @param toleratedPercentage {@code ToleratedFailurePercentage} (literal or JSONata), or null
 * @param toleratedPercentagePath {@code ToleratedFailurePercentagePath}, or null
 * @param batcher             {@code ItemBatcher}, or null
 * @param itemReader          whether the state reads its items with an {@code ItemReader} (from S3)
 * @param resultWriter        whether the state writes its results with a {@code ResultWriter} (to S3)
 */
record MapSpec(boolean distributed, JsonNode toleratedCount, String toleratedCountPath, JsonNode toleratedPercentage,
               String toleratedPercentagePath, ItemBatcher batcher, boolean itemReader, boolean resultWriter) {

    /** Child executions of a Distributed Map run at a time when MaxConcurrency is absent or 0 (state-map-distributed.html). */
    static final int DISTRIBUTED_CONCURRENCY = 10_000;

    /**
     * {@code ItemBatcher} (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html): each child
     * execution gets {@code {"Items": [...], "BatchInput": ...}}.
     */
    record ItemBatcher(JsonNode maxItems, String maxItemsPath, JsonNode maxBytes, String maxBytesPath,
                       JsonNode batchInput) {
    }

    private static final Set<String> BATCHER_FIELDS = Set.of("MaxItemsPerBatch", "MaxItemsPerBatchPath",
            "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput");
    private static final Set<String> PROCESSOR_CONFIG_FIELDS = Set.of("Mode", "ExecutionType");

    static boolean isDistributed(ObjectNode fields) {
        JsonNode processor = fields.has("ItemProcessor") ? fields.get("ItemProcessor") : fields.get("Iterator");
        return processor != null && "DISTRIBUTED".equals(processor.path("ProcessorConfig").path("Mode").asText(null));
    }

    static MapSpec parse(ObjectNode fields, String where) {
        JsonNode processor = fields.has("ItemProcessor") ? fields.get("ItemProcessor") : fields.get("Iterator");
        JsonNode config = processor.get("ProcessorConfig");
        boolean distributed = false;
        if (config != null) {
            if (!config.isObject()) {
                throw new DefinitionException(where + ": ProcessorConfig must be a JSON object");
            }
            config.fieldNames().forEachRemaining(name -> {
                if (!PROCESSOR_CONFIG_FIELDS.contains(name)) {
                    throw new DefinitionException(where + " ProcessorConfig has an unknown field \"" + name + "\"");
                }
            });
            String mode = config.path("Mode").asText("INLINE");
            if (!mode.equals("INLINE") && !mode.equals("DISTRIBUTED")) {
                throw new DefinitionException(where + ": ProcessorConfig Mode must be INLINE or DISTRIBUTED, got " + mode);
            }
            distributed = mode.equals("DISTRIBUTED");
            JsonNode executionType = config.get("ExecutionType");
            if (distributed && (executionType == null
                    || !Set.of("STANDARD", "EXPRESS").contains(executionType.asText()))) {
                // state-map-distributed.html: ExecutionType is required in Distributed mode.
                throw new DefinitionException(where + ": a DISTRIBUTED ProcessorConfig needs an ExecutionType of "
                        + "STANDARD or EXPRESS");
            }
        }
        if (fields.has("Iterator") && distributed) {
            throw new DefinitionException(where + ": Distributed Map needs ItemProcessor (Iterator is the deprecated "
                    + "Inline Map field)");
        }
        JsonNode count = fields.get("ToleratedFailureCount");
        JsonNode percentage = fields.get("ToleratedFailurePercentage");
        // maprun-fail-threshold.html: a count is a non-negative integer, a percentage a number from 0 to 100.
        if (count != null && !JsonataExpressions.isExpression(count)
                && !(count.isIntegralNumber() && count.asLong() >= 0)) {
            throw new DefinitionException(where + ": ToleratedFailureCount must be a non-negative integer");
        }
        if (percentage != null && !JsonataExpressions.isExpression(percentage)
                && !(percentage.isNumber() && percentage.asDouble() >= 0 && percentage.asDouble() <= 100)) {
            throw new DefinitionException(where + ": ToleratedFailurePercentage must be a number from 0 to 100");
        }
        both(fields, "ToleratedFailureCount", where);
        both(fields, "ToleratedFailurePercentage", where);
        return new MapSpec(distributed, count, text(fields, "ToleratedFailureCountPath"), percentage,
                text(fields, "ToleratedFailurePercentagePath"), batcher(fields.get("ItemBatcher"), where),
                fields.has("ItemReader"), fields.has("ResultWriter"));
    }

    private static ItemBatcher batcher(JsonNode node, String where) {
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            throw new DefinitionException(where + ": ItemBatcher must be a JSON object");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!BATCHER_FIELDS.contains(name)) {
                throw new DefinitionException(where + " ItemBatcher has an unknown field \"" + name + "\"");
            }
        });
        for (String field : new String[] {"MaxItemsPerBatch", "MaxInputBytesPerBatch"}) {
            JsonNode value = node.get(field);
            if (value != null && !JsonataExpressions.isExpression(value)
                    && !(value.isIntegralNumber() && value.asLong() > 0)) {
                throw new DefinitionException(where + ": ItemBatcher " + field + " must be a positive integer");
            }
            both((ObjectNode) node, field, where + " ItemBatcher");
        }
        if (node.has("BatchInput") && !node.get("BatchInput").isObject()
                && !JsonataExpressions.isExpression(node.get("BatchInput"))) {
            throw new DefinitionException(where + ": ItemBatcher BatchInput must be a JSON object");
        }
        return new ItemBatcher(node.get("MaxItemsPerBatch"), text(node, "MaxItemsPerBatchPath"),
                node.get("MaxInputBytesPerBatch"), text(node, "MaxInputBytesPerBatchPath"), node.get("BatchInput"));
    }

    private static void both(ObjectNode fields, String field, String where) {
        if (fields.has(field) && fields.has(field + "Path")) {
            throw new DefinitionException(where + " cannot have both " + field + " and " + field + "Path");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
