package dev.deckhand.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.DeploymentStrategy;
import dev.deckhand.config.LoadBalancerSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What `deckhand plan` says about an environment's strategy. */
class PlanStrategyTest {

    private static final LoadBalancerSettings BALANCER = new LoadBalancerSettings("tg-blue", "tg-green", "rule-prod",
            "rule-test", "arn:aws:iam::123456789012:role/elb", null, 8080, "http://test/health");

    @Test
    void anEnvironmentWithoutAStrategyKeepsTheServicesRollingUpdate() {
        assertThat(PlanService.strategyOf(null, true)).startsWith("rolling update (the ECS service's own");
    }

    @Test
    void aCanarySaysWhatEcsDoesAndWhereDeckhandsHookJudges() {
        DeploymentStrategy canary = new DeploymentStrategy(DeploymentStrategy.Kind.CANARY, false, List.of("api-5xx"), 5,
                10.0, 2, null, null, BALANCER);

        assertThat(PlanService.strategyOf(canary, true)).isEqualTo("canary, canary 10.0 % for 2 min, bake 5 min, "
                + "rolled back by ECS on alarm api-5xx; Deckhand's health check is ECS's lifecycle hook at "
                + "POST_TEST_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT");
        assertThat(PlanService.strategyOf(canary, false)).doesNotContain("lifecycle hook");
    }

    @Test
    void aRollingStrategySaysWhetherTheBreakerIsOn() {
        assertThat(PlanService.strategyOf(new DeploymentStrategy(DeploymentStrategy.Kind.ROLLING, true, List.of(), null,
                null, null, null, null, null), true)).isEqualTo("rolling with the circuit breaker");
    }
}
