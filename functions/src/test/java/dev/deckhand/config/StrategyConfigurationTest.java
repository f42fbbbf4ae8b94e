package dev.deckhand.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.errors.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

/**
 * The {@code strategy} of an environment. Ranges are ECS's: API_CanaryConfiguration (canaryPercent
 * multiples of 0.1 from 0.1 to 100, canaryBakeTimeInMinutes 0-1440), API_LinearConfiguration
 * (stepPercent multiples of 0.1 from 3.0 to 100, stepBakeTimeInMinutes 0-1440),
 * API_DeploymentConfiguration (bakeTimeInMinutes 0-1440), API_AdvancedConfiguration (alternate
 * target group, production and test listener rule or listener, the role ECS uses for ELB).
 */
class StrategyConfigurationTest {

    private static final String LOAD_BALANCER = """
                  loadBalancer:
                    targetGroupArn: arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/api-blue/0123456789abcdef
                    alternateTargetGroupArn: arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/api-green/fedcba9876543210
                    productionListenerRule: arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener-rule/app/api/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee
                    testListenerRule: arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener-rule/app/api/50dc6c495c0c9188/0467ef3c8400ae65/1a2b3c4d5e6f7a8b
                    roleArn: arn:aws:iam::111122223333:role/ecs-elb
                    containerPort: 8080
                    testUrl: http://api.internal:8443/health
            """;

    private static String environment(String strategy) {
        return """
                version: 1
                services:
                  api:
                    repository: acme/api
                    environments:
                      prod:
                        cluster: prod
                        service: api-prod
                        deployOnPush: ["v*"]
                        healthCheck: {url: "http://api.internal/health"}
                """ + strategy.indent(4);
    }

    private static DeploymentStrategy strategyOf(String yaml) {
        return ConfigurationLoader.parse(yaml, "deckhand.yml").service("api").orElseThrow()
                .environment("prod").orElseThrow().strategy();
    }

    private static String problems(String yaml) {
        try {
            ConfigurationLoader.parse(yaml, "deckhand.yml");
        } catch (InvalidConfigurationException e) {
            return e.getMessage();
        }
        throw new AssertionError("the configuration was accepted");
    }

    @Test
    void anEnvironmentWithoutAStrategyLeavesTheServicesOwn() {
        assertThat(strategyOf(environment(""))).isNull();
    }

    @Test
    void readsARollingStrategyWithItsBreakerAndAlarms() {
        DeploymentStrategy rolling = strategyOf(environment("""
                    strategy:
                      type: rolling
                      circuitBreaker: false
                      alarms: [api-5xx, api-latency]
                """));

        assertThat(rolling.kind()).isEqualTo(DeploymentStrategy.Kind.ROLLING);
        assertThat(rolling.circuitBreaker()).isFalse();
        assertThat(rolling.alarms()).containsExactly("api-5xx", "api-latency");
        assertThat(rolling.shiftsTraffic()).isFalse();
        assertThat(strategyOf(environment("    strategy: {type: rolling}\n")).circuitBreaker()).isTrue();
    }

    @Test
    void readsACanaryWithItsLoadBalancer() {
        DeploymentStrategy canary = strategyOf(environment("""
                    strategy:
                      type: canary
                      bakeMinutes: 5
                      canary: {percent: 10.5, bakeMinutes: 3}
                      alarms: [api-5xx]
                """ + LOAD_BALANCER));

        assertThat(canary.kind()).isEqualTo(DeploymentStrategy.Kind.CANARY);
        assertThat(canary.bakeMinutes()).isEqualTo(5);
        assertThat(canary.canaryPercent()).isEqualTo(10.5);
        assertThat(canary.canaryBakeMinutes()).isEqualTo(3);
        assertThat(canary.loadBalancer().containerPort()).isEqualTo(8080);
        assertThat(canary.loadBalancer().testUrl()).isEqualTo("http://api.internal:8443/health");
        assertThat(canary.loadBalancer().alternateTargetGroupArn()).endsWith("targetgroup/api-green/fedcba9876543210");
    }

    @Test
    void readsALinearAndABlueGreenStrategy() {
        DeploymentStrategy linear = strategyOf(environment("""
                    strategy:
                      type: linear
                      linear: {stepPercent: 25, stepBakeMinutes: 2}
                """ + LOAD_BALANCER));
        assertThat(linear.stepPercent()).isEqualTo(25.0);
        assertThat(linear.stepBakeMinutes()).isEqualTo(2);

        DeploymentStrategy blueGreen = strategyOf(environment("""
                    strategy:
                      type: blue-green
                """ + LOAD_BALANCER));
        assertThat(blueGreen.kind()).isEqualTo(DeploymentStrategy.Kind.BLUE_GREEN);
        assertThat(blueGreen.bakeMinutes()).isNull();
    }

    @Test
    void refusesATrafficShiftingStrategyWithoutALoadBalancer() {
        assertThat(problems(environment("""
                    strategy: {type: canary, canary: {percent: 10}}
                """))).contains("services[api].environments[prod].strategy.loadBalancer: is required: a canary "
                + "deployment shifts traffic between two target groups behind a load balancer's listener rules");
    }

    @Test
    void refusesAnUnknownTypeAndParametersOfAnotherStrategy() {
        assertThat(problems(environment("    strategy: {type: red-black}\n")))
                .contains("strategy.type: 'red-black' is not a strategy; use rolling, blue-green, linear or canary");
        assertThat(problems(environment("""
                    strategy:
                      type: linear
                      canary: {percent: 10}
                """ + LOAD_BALANCER))).contains("strategy.canary: only a canary strategy has 'canary' (this one is linear)");
        assertThat(problems(environment("    strategy: {type: rolling, bakeMinutes: 5}\n")))
                .contains("strategy.bakeMinutes: a rolling deployment has no 'bakeMinutes'");
        assertThat(problems(environment("""
                    strategy:
                      type: blue-green
                      circuitBreaker: true
                """ + LOAD_BALANCER))).contains("strategy.circuitBreaker: belongs to a rolling deployment");
    }

    @Test
    void refusesPercentagesAndBakeTimesEcsRefuses() {
        assertThat(problems(environment("""
                    strategy:
                      type: canary
                      canary: {percent: 0.05}
                """ + LOAD_BALANCER))).contains("strategy.canary.percent: must be a multiple of 0.1 from 0.1 to 100");
        assertThat(problems(environment("""
                    strategy:
                      type: linear
                      linear: {stepPercent: 2.5}
                """ + LOAD_BALANCER))).contains("strategy.linear.stepPercent: must be a multiple of 0.1 from 3.0 to 100");
        assertThat(problems(environment("""
                    strategy:
                      type: canary
                      bakeMinutes: 1441
                """ + LOAD_BALANCER))).contains("strategy.bakeMinutes: must be between 0 and 1440, found 1441");
    }

    @Test
    void aCanaryWithAHealthCheckNeedsTheTestListenerAndItsUrl() {
        String withoutTest = LOAD_BALANCER.lines().filter(line -> !line.contains("test"))
                .reduce("", (all, line) -> all + line + "\n");
        assertThat(problems(environment("    strategy:\n      type: canary\n" + withoutTest)))
                .contains("strategy.loadBalancer: a canary deployment's health check probes the new revision through "
                        + "the test listener during each step");
        // Blue-green shifts production all at once: its hook probes the production URL after the shift.
        assertThat(strategyOf(environment("    strategy:\n      type: blue-green\n" + withoutTest)).loadBalancer()
                .testUrl()).isNull();
        String urlWithoutRule = LOAD_BALANCER.lines().filter(line -> !line.contains("testListenerRule"))
                .reduce("", (all, line) -> all + line + "\n");
        assertThat(problems(environment("    strategy:\n      type: blue-green\n" + urlWithoutRule)))
                .contains("strategy.loadBalancer.testUrl: needs 'testListenerRule'");
    }

    @Test
    void aCrossAccountEnvironmentCannotHaveEcsInvokeDeckhandsHookYet() {
        String crossAccount = environment("    strategy:\n      type: blue-green\n" + LOAD_BALANCER)
                .replace("        cluster: prod\n", "        cluster: prod\n        account: \"444455556666\"\n"
                        + "        roleArn: arn:aws:iam::444455556666:role/deckhand-deploy\n");
        assertThat(problems(crossAccount)).contains("strategy.type: a blue-green deployment in another account would have "
                + "that account's ECS invoke Deckhand's lifecycle hook, which Deckhand does not set up yet; use rolling there");
    }

    @Test
    void refusesLoadBalancerValuesThatAreNotArns() {
        String bad = LOAD_BALANCER.replace("arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/api-green/fedcba9876543210",
                "api-green");
        assertThatThrownBy(() -> ConfigurationLoader.parse(environment("    strategy:\n      type: blue-green\n" + bad),
                "deckhand.yml")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("strategy.loadBalancer.alternateTargetGroupArn: 'api-green' is not a target group ARN");
    }
}
