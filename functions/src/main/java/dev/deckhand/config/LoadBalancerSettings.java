package dev.deckhand.config;

/**
 * The load balancer of a blue-green, linear or canary deployment: UpdateService's
 * {@code loadBalancers[].advancedConfiguration} (API_AdvancedConfiguration) and the URLs Deckhand
 * probes through it.
 *
 * @param targetGroupArn the target group production traffic reaches now
 * @param alternateTargetGroupArn the one ECS registers the new revision's tasks in
 * @param productionListenerRule the listener rule (ALB) or listener (NLB) of production traffic
 * @param testListenerRule the one of test traffic, or {@code null} when the load balancer has none
 * @param roleArn the role ECS assumes to change the listener rules
 * @param container the container the target groups send traffic to
 * @param containerPort the port of that container
 * @param testUrl where the test listener answers (the new revision alone, once test traffic
 *     shifted), or {@code null}; set exactly when {@code testListenerRule} is
 */
public record LoadBalancerSettings(
        String targetGroupArn,
        String alternateTargetGroupArn,
        String productionListenerRule,
        String testListenerRule,
        String roleArn,
        String container,
        int containerPort,
        String testUrl) {
}
