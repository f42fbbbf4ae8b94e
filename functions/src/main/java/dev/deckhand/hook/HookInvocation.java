package dev.deckhand.hook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.json.DeckhandJson;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What ECS sends the hook ("Lifecycle payloads", deployment-lifecycle-hooks): the revision being
 * deployed and, per service revision ARN, its share of test and of production traffic in percent,
 * under {@code executionDetails}; the stage; an {@code executionId} shared by every invocation of
 * the hook at one stage; and {@code hookDetails}.
 *
 * @param executionId {@code null} when ECS sent none
 * @param lifecycleStage {@code null} when ECS sent none
 */
public record HookInvocation(
        String executionId,
        String lifecycleStage,
        String targetServiceRevisionArn,
        Map<String, Double> testTrafficWeights,
        Map<String, Double> productionTrafficWeights,
        HookDetails hookDetails) {

    public HookInvocation {
        testTrafficWeights = Map.copyOf(testTrafficWeights);
        productionTrafficWeights = Map.copyOf(productionTrafficWeights);
    }

    /** Parses ECS's payload; the traffic fields are read under {@code executionDetails}, or at the top. */
    public static HookInvocation parse(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new InvalidInputException("not an ECS lifecycle hook payload: expected a JSON object");
        }
        JsonNode execution = event.path("executionDetails").isObject() ? event.path("executionDetails") : event;
        String target = execution.path("targetServiceRevisionArn").asText(null);
        if (target == null) {
            throw new InvalidInputException("executionDetails.targetServiceRevisionArn: required");
        }
        HookDetails details = null;
        if (event.hasNonNull("hookDetails")) {
            try {
                details = DeckhandJson.PAYLOADS.treeToValue(event.get("hookDetails"), HookDetails.class);
            } catch (JsonProcessingException e) {
                throw new InvalidInputException("hookDetails: " + DeckhandJson.problem(e));
            }
        }
        return new HookInvocation(event.path("executionId").asText(null), event.path("lifecycleStage").asText(null),
                target, weights(execution.path("testTrafficWeights")), weights(execution.path("productionTrafficWeights")),
                details);
    }

    private static Map<String, Double> weights(JsonNode node) {
        Map<String, Double> weights = new LinkedHashMap<>();
        node.fields().forEachRemaining(entry -> weights.put(entry.getKey(), entry.getValue().asDouble()));
        return weights;
    }

    /** The new revision's share of production traffic, in percent. */
    double productionShare() {
        return productionTrafficWeights.getOrDefault(targetServiceRevisionArn, 0.0);
    }

    /** The new revision's share of test traffic, in percent. */
    double testShare() {
        return testTrafficWeights.getOrDefault(targetServiceRevisionArn, 0.0);
    }
}
