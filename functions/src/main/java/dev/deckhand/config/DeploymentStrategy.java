package dev.deckhand.config;

import java.util.List;

/**
 * How ECS replaces the service's tasks, which Deckhand asks for in its UpdateService call
 * ({@code deploymentConfiguration.strategy}). ECS does the traffic shifting, the bake time and
 * the alarm rollback; Deckhand's health check runs as the lifecycle hook at the stages where the
 * new revision alone answers a listener.
 *
 * @param circuitBreaker rolling only: ECS stops a rollout whose tasks keep failing and rolls it back
 * @param alarms CloudWatch alarms whose ALARM state makes ECS roll the deployment back; empty for none
 * @param bakeMinutes blue-green, linear and canary: how long both revisions run after production
 *     traffic shifted, before ECS retires the old one (and can still roll back); {@code null} for ECS's default
 * @param canaryPercent canary only: the share of production traffic the first step shifts
 * @param canaryBakeMinutes canary only: how long the canary step lasts
 * @param stepPercent linear only: the share of production traffic each step shifts
 * @param stepBakeMinutes linear only: how long each step lasts
 * @param loadBalancer the target groups and listener rules ECS shifts traffic between; required
 *     by blue-green, linear and canary, {@code null} for rolling
 */
public record DeploymentStrategy(
        Kind kind,
        boolean circuitBreaker,
        List<String> alarms,
        Integer bakeMinutes,
        Double canaryPercent,
        Integer canaryBakeMinutes,
        Double stepPercent,
        Integer stepBakeMinutes,
        LoadBalancerSettings loadBalancer) {

    public DeploymentStrategy {
        alarms = List.copyOf(alarms);
    }

    /** ECS's strategies, by the name the configuration uses. */
    public enum Kind {
        ROLLING("rolling"), BLUE_GREEN("blue-green"), LINEAR("linear"), CANARY("canary");

        private final String configName;

        Kind(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        /** Whether ECS shifts traffic between two revisions behind a load balancer (and runs lifecycle hooks). */
        public boolean shiftsTraffic() {
            return this != ROLLING;
        }
    }

    /** Whether ECS, not Deckhand, decides when to roll this deployment back and does it. */
    public boolean shiftsTraffic() {
        return kind.shiftsTraffic();
    }
}
