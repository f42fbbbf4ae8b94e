package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.DeploymentStrategy;
import dev.deckhand.config.HealthCheckSettings;
import dev.deckhand.config.LoadBalancerSettings;
import dev.deckhand.deploy.StrategyRequest;
import dev.deckhand.hook.HookDetails;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHook;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;

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
    private static final Service CURRENT = Service.builder()
            .deploymentConfiguration(DeploymentConfiguration.builder().maximumPercent(200).minimumHealthyPercent(100)
                    .lifecycleHooks(DeploymentLifecycleHook.builder().hookTargetArn("arn:aws:lambda:eu-west-1:123456789012:function:audit")
                                    .roleArn("arn:aws:iam::123456789012:role/audit").lifecycleStagesWithStrings("PRE_SCALE_UP").build(),
                            DeploymentLifecycleHook.builder().hookTargetArn(HOOK).roleArn("arn:aws:iam::123456789012:role/old")
                                    .lifecycleStagesWithStrings("POST_TEST_TRAFFIC_SHIFT").build())
                    .build())
            .loadBalancers(LoadBalancer.builder().targetGroupArn(BALANCER.targetGroupArn()).containerName("app")
                    .containerPort(8080).build())
            .build();

    private static StrategyRequest canary() {
        return new StrategyRequest(new DeploymentStrategy(DeploymentStrategy.Kind.CANARY, false, List.of("api-5xx"), 5,
                10.5, 3, null, null, BALANCER), null, new StrategyRequest.Hook(HOOK,
                "arn:aws:iam::123456789012:role/Deckhand-LifecycleHookInvokeRole",
                List.of("POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT"), DETAILS));
    }

    @Test
    void aCanaryKeepsWhatDeckhandDoesNotManageAndReplacesOnlyItsOwnHook() {
        DeploymentConfiguration configuration = StrategyConfiguration.of(CURRENT, canary());

        assertThat(configuration.strategyAsString()).isEqualTo("CANARY");
        assertThat(configuration.bakeTimeInMinutes()).isEqualTo(5);
        assertThat(configuration.canaryConfiguration().canaryPercent()).isEqualTo(10.5);
        assertThat(configuration.canaryConfiguration().canaryBakeTimeInMinutes()).isEqualTo(3);
        assertThat(configuration.alarms().alarmNames()).containsExactly("api-5xx");
        assertThat(configuration.alarms().enable()).isTrue();
        assertThat(configuration.alarms().rollback()).isTrue();
        assertThat(configuration.maximumPercent()).isEqualTo(200);
        assertThat(configuration.minimumHealthyPercent()).isEqualTo(100);
        assertThat(configuration.lifecycleHooks()).extracting(DeploymentLifecycleHook::hookTargetArn)
                .containsExactly("arn:aws:lambda:eu-west-1:123456789012:function:audit", HOOK);
        DeploymentLifecycleHook ours = configuration.lifecycleHooks().get(1);
        assertThat(ours.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/Deckhand-LifecycleHookInvokeRole");
        assertThat(ours.lifecycleStagesAsStrings())
                .containsExactly("POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT");
        assertThat(ours.hookDetails().asMap().get("image").asString()).isEqualTo(DETAILS.image());
        assertThat(ours.hookDetails().asMap().get("testUrl").asString()).isEqualTo("http://api:8443/health");
        assertThat(ours.hookDetails().asMap().get("healthCheck").asMap().get("consecutiveSuccesses").asNumber().intValue())
                .isEqualTo(3);
        assertThat(ours.hookDetails().asMap()).doesNotContainKey("round");
    }

    @Test
    void theLoadBalancerNamesBothTargetGroupsAndTheListenerRulesForEcs() {
        List<LoadBalancer> balancers = StrategyConfiguration.loadBalancers(CURRENT, canary());

        assertThat(balancers).hasSize(1);
        LoadBalancer balancer = balancers.get(0);
        assertThat(balancer.targetGroupArn()).isEqualTo(BALANCER.targetGroupArn());
        // Neither the configuration nor the release named it: the service's own entry does.
        assertThat(balancer.containerName()).isEqualTo("app");
        assertThat(balancer.containerPort()).isEqualTo(8080);
        assertThat(balancer.advancedConfiguration().alternateTargetGroupArn()).isEqualTo(BALANCER.alternateTargetGroupArn());
        assertThat(balancer.advancedConfiguration().productionListenerRule()).isEqualTo(BALANCER.productionListenerRule());
        assertThat(balancer.advancedConfiguration().testListenerRule()).isEqualTo(BALANCER.testListenerRule());
        assertThat(balancer.advancedConfiguration().roleArn()).isEqualTo(BALANCER.roleArn());
    }

    @Test
    void aRollingStrategySetsTheBreakerAndKeepsTheServicesLoadBalancers() {
        StrategyRequest rolling = new StrategyRequest(new DeploymentStrategy(DeploymentStrategy.Kind.ROLLING, false,
                List.of(), null, null, null, null, null, null), "web", null);

        DeploymentConfiguration configuration = StrategyConfiguration.of(CURRENT, rolling);

        assertThat(configuration.strategyAsString()).isEqualTo("ROLLING");
        assertThat(configuration.deploymentCircuitBreaker().enable()).isFalse();
        assertThat(configuration.deploymentCircuitBreaker().rollback()).isFalse();
        assertThat(configuration.alarms()).as("no alarms configured: the service's own stay").isNull();
        assertThat(configuration.canaryConfiguration()).isNull();
        assertThat(StrategyConfiguration.loadBalancers(CURRENT, rolling)).isNull();
        // Without a hook in the request, the service's hooks stay as they are.
        assertThat(configuration.lifecycleHooks()).hasSize(2);
    }
}
