package dev.deckhand.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.config.DeploymentStrategy;
import dev.deckhand.config.LoadBalancerSettings;
import dev.deckhand.deploy.StrategyRequest;
import dev.deckhand.json.DeckhandJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHook;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * UpdateService's deployment configuration and load balancers for a {@link StrategyRequest}
 * (API_UpdateService, API_DeploymentConfiguration, API_DeploymentLifecycleHook,
 * API_CanaryConfiguration, API_LinearConfiguration, API_LoadBalancer, API_AdvancedConfiguration).
 * Starts from the service's own configuration, so what Deckhand does not manage
 * (maximumPercent, minimumHealthyPercent, alarms when none are configured, other hooks) stays.
 */
final class StrategyConfiguration {

    private StrategyConfiguration() {
    }

    static DeploymentConfiguration of(Service current, StrategyRequest request) {
        DeploymentStrategy strategy = request.strategy();
        DeploymentConfiguration own = current.deploymentConfiguration();
        DeploymentConfiguration.Builder configuration = own == null ? DeploymentConfiguration.builder() : own.toBuilder();
        configuration.strategy(ecsName(strategy.kind()));
        if (!strategy.alarms().isEmpty()) {
            configuration.alarms(alarms -> alarms.alarmNames(strategy.alarms()).enable(true).rollback(true));
        }
        if (strategy.kind() == DeploymentStrategy.Kind.ROLLING) {
            // API_DeploymentCircuitBreaker: enable stops a failing rollout, rollback returns to the last COMPLETED one.
            configuration.deploymentCircuitBreaker(breaker -> breaker.enable(strategy.circuitBreaker())
                    .rollback(strategy.circuitBreaker()));
        }
        if (strategy.bakeMinutes() != null) {
            configuration.bakeTimeInMinutes(strategy.bakeMinutes());
        }
        if (strategy.kind() == DeploymentStrategy.Kind.CANARY) {
            configuration.canaryConfiguration(canary -> canary.canaryPercent(strategy.canaryPercent())
                    .canaryBakeTimeInMinutes(strategy.canaryBakeMinutes()));
        }
        if (strategy.kind() == DeploymentStrategy.Kind.LINEAR) {
            configuration.linearConfiguration(linear -> linear.stepPercent(strategy.stepPercent())
                    .stepBakeTimeInMinutes(strategy.stepBakeMinutes()));
        }
        configuration.lifecycleHooks(hooks(own, request));
        return configuration.build();
    }

    /** The service's hooks with Deckhand's replaced: another team's PAUSE or Lambda hook stays. */
    private static List<DeploymentLifecycleHook> hooks(DeploymentConfiguration own, StrategyRequest request) {
        List<DeploymentLifecycleHook> hooks = new ArrayList<>();
        String ours = request.hook() == null ? null : request.hook().functionArn();
        if (own != null) {
            own.lifecycleHooks().stream()
                    .filter(hook -> ours == null || !ours.equals(hook.hookTargetArn()))
                    .forEach(hooks::add);
        }
        if (request.hook() != null) {
            StrategyRequest.Hook hook = request.hook();
            hooks.add(DeploymentLifecycleHook.builder().hookTargetArn(hook.functionArn()).roleArn(hook.roleArn())
                    .lifecycleStagesWithStrings(hook.stages())
                    .hookDetails(document(DeckhandJson.MAPPER.valueToTree(hook.details()))).build());
        }
        return hooks;
    }

    /**
     * The load balancer ECS shifts traffic on, or {@code null} to keep the service's (rolling). When
     * neither the configuration nor the release names the container, the service's own entry for
     * the target group names it.
     */
    static List<LoadBalancer> loadBalancers(Service current, StrategyRequest request) {
        LoadBalancerSettings settings = request.strategy().loadBalancer();
        if (settings == null) {
            return null;
        }
        String container = request.container() != null ? request.container() : current.loadBalancers().stream()
                .filter(each -> settings.targetGroupArn().equals(each.targetGroupArn()))
                .map(LoadBalancer::containerName).findFirst().orElse(null);
        return List.of(LoadBalancer.builder().targetGroupArn(settings.targetGroupArn()).containerName(container)
                .containerPort(settings.containerPort())
                .advancedConfiguration(advanced -> advanced.alternateTargetGroupArn(settings.alternateTargetGroupArn())
                        .productionListenerRule(settings.productionListenerRule())
                        .testListenerRule(settings.testListenerRule())
                        .roleArn(settings.roleArn()))
                .build());
    }

    /** API_DeploymentConfiguration strategy: ROLLING | BLUE_GREEN | LINEAR | CANARY. */
    static String ecsName(DeploymentStrategy.Kind kind) {
        return kind.name();
    }

    static Document document(JsonNode node) {
        if (node == null || node.isNull()) {
            return Document.fromNull();
        }
        if (node.isObject()) {
            Map<String, Document> fields = new LinkedHashMap<>();
            node.fields().forEachRemaining(field -> fields.put(field.getKey(), document(field.getValue())));
            return Document.fromMap(fields);
        }
        if (node.isArray()) {
            List<Document> items = new ArrayList<>();
            node.forEach(item -> items.add(document(item)));
            return Document.fromList(items);
        }
        if (node.isBoolean()) {
            return Document.fromBoolean(node.asBoolean());
        }
        if (node.isIntegralNumber()) {
            return Document.fromNumber(node.asLong());
        }
        if (node.isNumber()) {
            return Document.fromNumber(node.decimalValue());
        }
        return Document.fromString(node.asText());
    }
}
