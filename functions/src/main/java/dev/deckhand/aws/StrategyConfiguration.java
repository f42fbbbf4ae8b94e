package dev.deckhand.aws;

import static dev.deckhand.aws.EcsWire.items;
import static dev.deckhand.aws.EcsWire.put;
import static dev.deckhand.aws.EcsWire.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.config.DeploymentStrategy;
import dev.deckhand.config.LoadBalancerSettings;
import dev.deckhand.deploy.StrategyRequest;
import dev.deckhand.json.DeckhandJson;

/**
 * UpdateService's deployment configuration and load balancers for a {@link StrategyRequest}
 * (API_UpdateService, API_DeploymentConfiguration, API_DeploymentLifecycleHook,
 * API_CanaryConfiguration, API_LinearConfiguration, API_LoadBalancer, API_AdvancedConfiguration),
 * as ECS's wire JSON. Starts from the service's own configuration (DescribeServices' answer), so
 * what Deckhand does not manage (maximumPercent, minimumHealthyPercent, alarms when none are
 * configured, other hooks) stays.
 */
final class StrategyConfiguration {

    private StrategyConfiguration() {
    }

    /** @param current the service as DescribeServices answers it */
    static ObjectNode of(JsonNode current, StrategyRequest request) {
        DeploymentStrategy strategy = request.strategy();
        JsonNode own = current.get("deploymentConfiguration");
        ObjectNode configuration = own != null && own.isObject() ? ((ObjectNode) own).deepCopy()
                : DeckhandJson.MAPPER.createObjectNode();
        configuration.put("strategy", ecsName(strategy.kind()));
        if (!strategy.alarms().isEmpty()) {
            ObjectNode alarms = configuration.putObject("alarms");
            alarms.set("alarmNames", EcsWire.strings(strategy.alarms()));
            alarms.put("enable", true).put("rollback", true);
        }
        if (strategy.kind() == DeploymentStrategy.Kind.ROLLING) {
            // API_DeploymentCircuitBreaker: enable stops a failing rollout, rollback returns to the last COMPLETED one.
            configuration.putObject("deploymentCircuitBreaker").put("enable", strategy.circuitBreaker())
                    .put("rollback", strategy.circuitBreaker());
        }
        if (strategy.bakeMinutes() != null) {
            configuration.put("bakeTimeInMinutes", strategy.bakeMinutes());
        }
        if (strategy.kind() == DeploymentStrategy.Kind.CANARY) {
            ObjectNode canary = configuration.putObject("canaryConfiguration");
            put(canary, "canaryPercent", strategy.canaryPercent());
            put(canary, "canaryBakeTimeInMinutes", strategy.canaryBakeMinutes());
        }
        if (strategy.kind() == DeploymentStrategy.Kind.LINEAR) {
            ObjectNode linear = configuration.putObject("linearConfiguration");
            put(linear, "stepPercent", strategy.stepPercent());
            put(linear, "stepBakeTimeInMinutes", strategy.stepBakeMinutes());
        }
        configuration.set("lifecycleHooks", hooks(own, request));
        return configuration;
    }

    /** The service's hooks with Deckhand's replaced: another team's PAUSE or Lambda hook stays. */
    private static ArrayNode hooks(JsonNode own, StrategyRequest request) {
        ArrayNode hooks = DeckhandJson.MAPPER.createArrayNode();
        String ours = request.hook() == null ? null : request.hook().functionArn();
        if (own != null) {
            items(own, "lifecycleHooks").stream()
                    .filter(hook -> ours == null || !ours.equals(text(hook, "hookTargetArn")))
                    .forEach(hook -> hooks.add(hook.deepCopy()));
        }
        if (request.hook() != null) {
            StrategyRequest.Hook hook = request.hook();
            ObjectNode added = hooks.addObject();
            put(added, "hookTargetArn", hook.functionArn());
            put(added, "roleArn", hook.roleArn());
            added.set("lifecycleStages", EcsWire.strings(hook.stages()));
            // API_DeploymentLifecycleHook, hookDetails: a JSON document ECS hands the hook as it is.
            if (hook.details() != null) {
                added.set("hookDetails", DeckhandJson.MAPPER.valueToTree(hook.details()));
            }
        }
        return hooks;
    }

    /**
     * The load balancer ECS shifts traffic on, or {@code null} to keep the service's (rolling). When
     * neither the configuration nor the release names the container, the service's own entry for
     * the target group names it.
     */
    static ArrayNode loadBalancers(JsonNode current, StrategyRequest request) {
        LoadBalancerSettings settings = request.strategy().loadBalancer();
        if (settings == null) {
            return null;
        }
        String container = request.container() != null ? request.container() : items(current, "loadBalancers")
                .stream().filter(each -> settings.targetGroupArn().equals(text(each, "targetGroupArn")))
                .map(each -> text(each, "containerName")).findFirst().orElse(null);
        ArrayNode balancers = DeckhandJson.MAPPER.createArrayNode();
        ObjectNode balancer = balancers.addObject();
        put(balancer, "targetGroupArn", settings.targetGroupArn());
        put(balancer, "containerName", container);
        put(balancer, "containerPort", settings.containerPort());
        ObjectNode advanced = balancer.putObject("advancedConfiguration");
        put(advanced, "alternateTargetGroupArn", settings.alternateTargetGroupArn());
        put(advanced, "productionListenerRule", settings.productionListenerRule());
        put(advanced, "testListenerRule", settings.testListenerRule());
        put(advanced, "roleArn", settings.roleArn());
        return balancers;
    }

    /** API_DeploymentConfiguration strategy: ROLLING | BLUE_GREEN | LINEAR | CANARY. */
    static String ecsName(DeploymentStrategy.Kind kind) {
        return kind.name();
    }
}
