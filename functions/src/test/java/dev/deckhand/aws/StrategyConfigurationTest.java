package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.DeploymentStrategy;
import dev.deckhand.config.HealthCheckSettings;
import dev.deckhand.config.LoadBalancerSettings;
import dev.deckhand.deploy.StrategyRequest;
import dev.deckhand.hook.HookDetails;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * UpdateService's request for a strategy, per API_UpdateService / API_DeploymentConfiguration
 * (strategy ROLLING | BLUE_GREEN | LINEAR | CANARY, bakeTimeInMinutes, alarms, circuit breaker,
 * lifecycleHooks), API_CanaryConfiguration, API_LinearConfiguration, API_LoadBalancer and
 * API_AdvancedConfiguration.
 */
class StrategyConfigurationTest {

    private static final String HOOK = "arn:aws:lambda:eu-west-1:123456789012:function:Deckhand-LifecycleHook:live";
    private static final LoadBalancerSettings BALANCER = new LoadBalancerSettings(
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api-blue/0123456789abcdef",
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api-green/fedcba9876543210",
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/api/1/2/3",
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/api/1/4/5",
            "arn:aws:iam::123456789012:role/api-elb", null, 8080, "http://api:8443/health");
    private static final HookDetails DETAILS = new HookDetails("api/prod/sha256:" + "d".repeat(64),
            "1.dkr.ecr.eu-west-1.amazonaws.com/acme/api@sha256:" + "d".repeat(64),
            new HealthCheckSettings("http://api/health", 200, null, 3, 10, 5), "http://api:8443/health", null, null);

    /** A service as DescribeServices answers it: its own percentages, and a pause hook of another team. */
    private static final JsonNode CURRENT = json("""
            {"deploymentConfiguration":{"maximumPercent":200,"minimumHealthyPercent":100,
              "lifecycleHooks":[
                {"hookTargetArn":"arn:aws:lambda:eu-west-1:123456789012:function:audit",
                 "roleArn":"arn:aws:iam::123456789012:role/audit","lifecycleStages":["PRE_SCALE_UP"]},
                {"hookTargetArn":"%s","roleArn":"arn:aws:iam::123456789012:role/old",
                 "lifecycleStages":["POST_TEST_TRAFFIC_SHIFT"]}]},
             "loadBalancers":[{"targetGroupArn":"%s","containerName":"app","containerPort":8080}]}
            """.formatted(HOOK, BALANCER.targetGroupArn()));

    private static JsonNode json(String text) {
        try {
            return DeckhandJson.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static StrategyRequest canary() {
        return new StrategyRequest(new DeploymentStrategy(DeploymentStrategy.Kind.CANARY, false, List.of("api-5xx"), 5,
                10.5, 3, null, null, BALANCER), null, new StrategyRequest.Hook(HOOK,
                "arn:aws:iam::123456789012:role/Deckhand-LifecycleHookInvokeRole",
                List.of("POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT"), DETAILS));
    }

    @Test
    void aCanaryKeepsWhatDeckhandDoesNotManageAndReplacesOnlyItsOwnHook() {
        JsonNode configuration = StrategyConfiguration.of(CURRENT, canary());

        assertThat(configuration.path("strategy").asText()).isEqualTo("CANARY");
        assertThat(configuration.path("bakeTimeInMinutes").asInt()).isEqualTo(5);
        assertThat(configuration.path("canaryConfiguration").path("canaryPercent").asDouble()).isEqualTo(10.5);
        assertThat(configuration.path("canaryConfiguration").path("canaryBakeTimeInMinutes").asInt()).isEqualTo(3);
        assertThat(configuration.path("alarms").toString())
                .isEqualTo("{\"alarmNames\":[\"api-5xx\"],\"enable\":true,\"rollback\":true}");
        assertThat(configuration.path("maximumPercent").asInt()).isEqualTo(200);
        assertThat(configuration.path("minimumHealthyPercent").asInt()).isEqualTo(100);
        assertThat(configuration.path("lifecycleHooks").findValuesAsText("hookTargetArn"))
                .containsExactly("arn:aws:lambda:eu-west-1:123456789012:function:audit", HOOK);
        JsonNode ours = configuration.path("lifecycleHooks").get(1);
        assertThat(ours.path("roleArn").asText()).isEqualTo("arn:aws:iam::123456789012:role/Deckhand-LifecycleHookInvokeRole");
        assertThat(ours.path("lifecycleStages").toString())
                .isEqualTo("[\"POST_TEST_TRAFFIC_SHIFT\",\"PRODUCTION_TRAFFIC_SHIFT\",\"POST_PRODUCTION_TRAFFIC_SHIFT\"]");
        assertThat(ours.path("hookDetails").path("image").asText()).isEqualTo(DETAILS.image());
        assertThat(ours.path("hookDetails").path("testUrl").asText()).isEqualTo("http://api:8443/health");
        assertThat(ours.path("hookDetails").path("healthCheck").path("consecutiveSuccesses").asInt()).isEqualTo(3);
        assertThat(ours.path("hookDetails").has("round")).isFalse();
        // The service's own answer is not changed in place.
        assertThat(CURRENT.path("deploymentConfiguration").has("strategy")).isFalse();
    }

    @Test
    void theLoadBalancerNamesBothTargetGroupsAndTheListenerRulesForEcs() {
        JsonNode balancers = StrategyConfiguration.loadBalancers(CURRENT, canary());

        assertThat(balancers).hasSize(1);
        JsonNode balancer = balancers.get(0);
        assertThat(balancer.path("targetGroupArn").asText()).isEqualTo(BALANCER.targetGroupArn());
        // Neither the configuration nor the release named it: the service's own entry does.
        assertThat(balancer.path("containerName").asText()).isEqualTo("app");
        assertThat(balancer.path("containerPort").asInt()).isEqualTo(8080);
        JsonNode advanced = balancer.path("advancedConfiguration");
        assertThat(advanced.path("alternateTargetGroupArn").asText()).isEqualTo(BALANCER.alternateTargetGroupArn());
        assertThat(advanced.path("productionListenerRule").asText()).isEqualTo(BALANCER.productionListenerRule());
        assertThat(advanced.path("testListenerRule").asText()).isEqualTo(BALANCER.testListenerRule());
        assertThat(advanced.path("roleArn").asText()).isEqualTo(BALANCER.roleArn());
    }

    @Test
    void aRollingStrategySetsTheBreakerAndKeepsTheServicesLoadBalancers() {
        StrategyRequest rolling = new StrategyRequest(new DeploymentStrategy(DeploymentStrategy.Kind.ROLLING, false,
                List.of(), null, null, null, null, null, null), "web", null);

        JsonNode configuration = StrategyConfiguration.of(CURRENT, rolling);

        assertThat(configuration.path("strategy").asText()).isEqualTo("ROLLING");
        assertThat(configuration.path("deploymentCircuitBreaker").toString())
                .isEqualTo("{\"enable\":false,\"rollback\":false}");
        assertThat(configuration.has("alarms")).as("no alarms configured: the service's own stay").isFalse();
        assertThat(configuration.has("canaryConfiguration")).isFalse();
        assertThat(configuration.has("bakeTimeInMinutes")).as("a member without a value is left out").isFalse();
        assertThat(StrategyConfiguration.loadBalancers(CURRENT, rolling)).isNull();
        // Without a hook in the request, the service's hooks stay as they are.
        assertThat(configuration.path("lifecycleHooks")).isEqualTo(CURRENT.path("deploymentConfiguration")
                .path("lifecycleHooks"));
    }
}
