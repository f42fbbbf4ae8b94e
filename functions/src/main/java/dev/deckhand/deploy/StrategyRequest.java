package dev.deckhand.deploy;

import dev.deckhand.config.DeploymentStrategy;
import dev.deckhand.hook.HookDetails;
import java.util.List;

/**
 * What UpdateService asks of ECS besides the revision: the strategy of the environment and, when
 * it shifts traffic and the environment has a health check, Deckhand's lifecycle hook.
 *
 * @param container the container the load balancer sends traffic to (the configured one, else the
 *     one the release updated)
 * @param hook {@code null} when ECS deploys without Deckhand's hook
 */
public record StrategyRequest(DeploymentStrategy strategy, String container, Hook hook) {

    /**
     * Deckhand's hook in UpdateService's {@code deploymentConfiguration.lifecycleHooks}
     * (API_DeploymentLifecycleHook): the function, the role ECS assumes to invoke it, the stages.
     */
    public record Hook(String functionArn, String roleArn, List<String> stages, HookDetails details) {

        public Hook {
            stages = List.copyOf(stages);
        }
    }

    /**
     * The stages at which the new revision alone answers a URL Deckhand can probe
     * (API_DeploymentLifecycleHook lifecycleStages): after test traffic shifted to it (with a test
     * listener), during each production step of a linear or canary deployment (through the test
     * listener, which still sends it all test traffic), and after production traffic shifted.
     */
    public static List<String> hookStages(DeploymentStrategy strategy) {
        boolean testListener = strategy.loadBalancer() != null && strategy.loadBalancer().testUrl() != null;
        if (!testListener) {
            return List.of("POST_PRODUCTION_TRAFFIC_SHIFT");
        }
        boolean steps = strategy.kind() == DeploymentStrategy.Kind.LINEAR
                || strategy.kind() == DeploymentStrategy.Kind.CANARY;
        return steps
                ? List.of("POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT")
                : List.of("POST_TEST_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT");
    }
}
