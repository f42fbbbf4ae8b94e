package dev.deckhand.hook;

import java.util.Map;

/**
 * What ECS sends the hook ("Lifecycle payloads", deployment-lifecycle-hooks): the revision being
 * deployed and, per service revision ARN, its share of test and of production traffic in percent.
 */
public record HookInvocation(
        String serviceArn,
        String targetServiceRevisionArn,
        Map<String, Double> testTrafficWeights,
        Map<String, Double> productionTrafficWeights,
        HookDetails hookDetails) {

    public HookInvocation {
        testTrafficWeights = testTrafficWeights == null ? Map.of() : Map.copyOf(testTrafficWeights);
        productionTrafficWeights = productionTrafficWeights == null ? Map.of() : Map.copyOf(productionTrafficWeights);
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
