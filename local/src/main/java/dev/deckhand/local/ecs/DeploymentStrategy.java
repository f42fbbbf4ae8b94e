package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.aws.AwsErrorException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A service's {@code deploymentConfiguration} beyond the circuit breaker, as CreateService and
 * UpdateService take it (API_DeploymentConfiguration): {@code strategy}, {@code bakeTimeInMinutes},
 * {@code canaryConfiguration} (API_CanaryConfiguration), {@code linearConfiguration}
 * (API_LinearConfiguration), {@code lifecycleHooks} (API_DeploymentLifecycleHook) and
 * {@code alarms} (API_DeploymentAlarms). {@link #parse} refuses what ECS refuses, with ECS's
 * InvalidParameterException.
 */
record DeploymentStrategy(String strategy, int bakeTimeInMinutes, double canaryPercent, int canaryBakeTimeInMinutes,
                          double stepPercent, int stepBakeTimeInMinutes, List<LifecycleHook> lifecycleHooks,
                          List<String> alarmNames, boolean alarmsEnabled, boolean alarmsRollback) {

    /** One lifecycle hook: a Lambda function, the role ECS invokes it as, its stages and details. */
    record LifecycleHook(String hookTargetArn, String roleArn, List<String> lifecycleStages, JsonNode hookDetails) {
    }

    static final List<String> STRATEGIES = List.of("ROLLING", "BLUE_GREEN", "LINEAR", "CANARY");

    /** API_DeploymentLifecycleHook, lifecycleStages: the stages a hook can be registered for. */
    static final List<String> HOOK_STAGES = List.of("RECONCILE_SERVICE", "PRE_SCALE_UP", "POST_SCALE_UP",
            "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT");

    // The Lambda function ARN form (hookTargetArn: "Currently, only Lambda function ARNs are supported").
    private static final Pattern FUNCTION_ARN =
            Pattern.compile("arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern TARGET_GROUP_ARN =
            Pattern.compile("arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:targetgroup/[\\w-]+/[0-9a-f]+");
    private static final Pattern LISTENER_RULE_ARN = Pattern.compile(
            "arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:listener(-rule)?/(app|net)/[\\w-]+/[0-9a-f]+/[0-9a-f]+(/[0-9a-f]+)?");

    /** ROLLING with nothing else: what a service has until it is given a strategy. */
    static DeploymentStrategy rolling() {
        return new DeploymentStrategy("ROLLING", 0, 5.0, 10, 10.0, 6, List.of(), List.of(), false, false);
    }

    boolean shiftsTraffic() {
        return !strategy.equals("ROLLING");
    }

    /**
     * The configuration after a CreateService/UpdateService: fields the request gives replace
     * those of {@code current}, as UpdateService keeps what it is not given.
     *
     * @param loadBalancers the service's load balancers after the request (null: none)
     */
    static DeploymentStrategy parse(JsonNode configuration, JsonNode loadBalancers, DeploymentStrategy current) {
        String strategy = configuration.path("strategy").asText(current.strategy());
        if (!STRATEGIES.contains(strategy)) {
            throw invalid("deploymentConfiguration.strategy must be one of " + String.join(", ", STRATEGIES)
                    + ", not '" + strategy + "'.");
        }
        int bake = minutes(configuration, "bakeTimeInMinutes", current.bakeTimeInMinutes(), "deploymentConfiguration");
        JsonNode canary = configuration.path("canaryConfiguration");
        JsonNode linear = configuration.path("linearConfiguration");
        // API_CanaryConfiguration / API_LinearConfiguration: "only valid when you run CreateService or
        // UpdateService with ... a deploymentConfiguration with a strategy set to CANARY" (LINEAR).
        if (canary.isObject() && !strategy.equals("CANARY")) {
            throw invalid("canaryConfiguration is only valid with the CANARY deployment strategy.");
        }
        if (linear.isObject() && !strategy.equals("LINEAR")) {
            throw invalid("linearConfiguration is only valid with the LINEAR deployment strategy.");
        }
        double canaryPercent = percent(canary, "canaryPercent", current.canaryPercent(), 0.1);
        int canaryBake = minutes(canary, "canaryBakeTimeInMinutes", current.canaryBakeTimeInMinutes(),
                "canaryConfiguration");
        double stepPercent = percent(linear, "stepPercent", current.stepPercent(), 3.0);
        int stepBake = minutes(linear, "stepBakeTimeInMinutes", current.stepBakeTimeInMinutes(), "linearConfiguration");
        List<LifecycleHook> hooks = configuration.has("lifecycleHooks") ? hooks(configuration.get("lifecycleHooks"))
                : current.lifecycleHooks();
        JsonNode alarms = configuration.path("alarms");
        List<String> alarmNames = current.alarmNames();
        boolean alarmsEnabled = current.alarmsEnabled();
        boolean alarmsRollback = current.alarmsRollback();
        if (alarms.isObject()) {
            // API_DeploymentAlarms: alarmNames, enable and rollback are all required.
            if (!alarms.path("alarmNames").isArray() || !alarms.path("enable").isBoolean()
                    || !alarms.path("rollback").isBoolean()) {
                throw invalid("deploymentConfiguration.alarms needs alarmNames, enable and rollback.");
            }
            List<String> names = new ArrayList<>();
            alarms.get("alarmNames").forEach(name -> names.add(name.asText()));
            alarmNames = List.copyOf(names);
            alarmsEnabled = alarms.get("enable").asBoolean();
            alarmsRollback = alarms.get("rollback").asBoolean();
        }
        DeploymentStrategy parsed = new DeploymentStrategy(strategy, bake, canaryPercent, canaryBake, stepPercent,
                stepBake, hooks, alarmNames, alarmsEnabled, alarmsRollback);
        if (parsed.shiftsTraffic()) {
            requireAdvancedLoadBalancer(strategy, loadBalancers);
        }
        return parsed;
    }

    // Blue/green, linear and canary shift traffic between a production target group and an alternate
    // one behind a listener rule: "Amazon ECS blue/green deployments" lists the load balancer
    // resources they need (advancedConfiguration of API_LoadBalancer).
    private static void requireAdvancedLoadBalancer(String strategy, JsonNode loadBalancers) {
        if (loadBalancers == null || !loadBalancers.isArray() || loadBalancers.isEmpty()) {
            throw invalid("The " + strategy + " deployment strategy requires a load balancer: loadBalancers "
                    + "with an advancedConfiguration.");
        }
        for (JsonNode balancer : loadBalancers) {
            JsonNode advanced = balancer.path("advancedConfiguration");
            if (!advanced.isObject()) {
                throw invalid("The " + strategy + " deployment strategy requires advancedConfiguration on each "
                        + "load balancer.");
            }
            String targetGroup = balancer.path("targetGroupArn").asText("");
            String alternate = advanced.path("alternateTargetGroupArn").asText("");
            if (!TARGET_GROUP_ARN.matcher(targetGroup).matches() || !TARGET_GROUP_ARN.matcher(alternate).matches()) {
                throw invalid("advancedConfiguration needs a valid targetGroupArn and alternateTargetGroupArn.");
            }
            if (targetGroup.equals(alternate)) {
                throw invalid("alternateTargetGroupArn must differ from targetGroupArn.");
            }
            if (!LISTENER_RULE_ARN.matcher(advanced.path("productionListenerRule").asText("")).matches()) {
                throw invalid("advancedConfiguration.productionListenerRule must be a listener or listener rule ARN.");
            }
            if (advanced.has("testListenerRule")
                    && !LISTENER_RULE_ARN.matcher(advanced.path("testListenerRule").asText("")).matches()) {
                throw invalid("advancedConfiguration.testListenerRule must be a listener or listener rule ARN.");
            }
            if (!ROLE_ARN.matcher(advanced.path("roleArn").asText("")).matches()) {
                throw invalid("advancedConfiguration.roleArn must be an IAM role ARN.");
            }
        }
    }

    private static List<LifecycleHook> hooks(JsonNode hooks) {
        if (!hooks.isArray()) {
            throw invalid("lifecycleHooks must be a list.");
        }
        List<LifecycleHook> parsed = new ArrayList<>();
        for (JsonNode hook : hooks) {
            String target = hook.path("hookTargetArn").asText("");
            if (!FUNCTION_ARN.matcher(target).matches()) {
                throw invalid("lifecycleHooks.hookTargetArn must be a Lambda function ARN, not '" + target + "'.");
            }
            String role = hook.path("roleArn").asText("");
            if (!ROLE_ARN.matcher(role).matches()) {
                throw invalid("lifecycleHooks.roleArn must be an IAM role ARN, not '" + role + "'.");
            }
            List<String> stages = new ArrayList<>();
            hook.path("lifecycleStages").forEach(stage -> stages.add(stage.asText()));
            if (stages.isEmpty()) {
                throw invalid("lifecycleHooks.lifecycleStages must name at least one stage.");
            }
            for (String stage : stages) {
                if (!HOOK_STAGES.contains(stage)) {
                    throw invalid("lifecycleHooks.lifecycleStages: '" + stage + "' is not one of "
                            + String.join(", ", HOOK_STAGES) + ".");
                }
            }
            JsonNode details = hook.get("hookDetails");
            parsed.add(new LifecycleHook(target, role, List.copyOf(stages), details == null ? null : details.deepCopy()));
        }
        return List.copyOf(parsed);
    }

    // "Valid values are 0 to 1440 minutes (24 hours)" (bakeTimeInMinutes, canaryBakeTimeInMinutes, stepBakeTimeInMinutes).
    private static int minutes(JsonNode parent, String field, int fallback, String where) {
        JsonNode value = parent.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt() || value.asInt() < 0 || value.asInt() > 1440) {
            throw invalid(where + "." + field + " must be between 0 and 1440 minutes, not " + value + ".");
        }
        return value.asInt();
    }

    // "Valid values are multiples of 0.1 from 0.1 to 100.0" (canaryPercent; stepPercent from 3.0).
    private static double percent(JsonNode parent, String field, double fallback, double minimum) {
        JsonNode value = parent.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        BigDecimal exact = value.decimalValue();
        boolean tenth = exact.multiply(BigDecimal.TEN).stripTrailingZeros().scale() <= 0;
        if (!value.isNumber() || !tenth || value.asDouble() < minimum || value.asDouble() > 100.0) {
            throw invalid(field + " must be a multiple of 0.1 from " + minimum + " to 100.0, not " + value + ".");
        }
        return value.asDouble();
    }

    private static AwsErrorException invalid(String message) {
        return AwsErrorException.clientError("InvalidParameterException", message);
    }

    /** Adds this configuration to a DeploymentConfiguration shape. */
    void render(ObjectNode configuration) {
        configuration.put("strategy", strategy);
        if (shiftsTraffic()) {
            configuration.put("bakeTimeInMinutes", bakeTimeInMinutes);
        }
        if (strategy.equals("CANARY")) {
            configuration.putObject("canaryConfiguration").put("canaryPercent", canaryPercent)
                    .put("canaryBakeTimeInMinutes", canaryBakeTimeInMinutes);
        }
        if (strategy.equals("LINEAR")) {
            configuration.putObject("linearConfiguration").put("stepPercent", stepPercent)
                    .put("stepBakeTimeInMinutes", stepBakeTimeInMinutes);
        }
        if (!lifecycleHooks.isEmpty()) {
            ArrayNode hooks = configuration.putArray("lifecycleHooks");
            for (LifecycleHook hook : lifecycleHooks) {
                ObjectNode json = hooks.addObject().put("hookTargetArn", hook.hookTargetArn())
                        .put("roleArn", hook.roleArn());
                ArrayNode stages = json.putArray("lifecycleStages");
                hook.lifecycleStages().forEach(stages::add);
                if (hook.hookDetails() != null) {
                    json.set("hookDetails", hook.hookDetails().deepCopy());
                }
            }
        }
        if (!alarmNames.isEmpty() || alarmsEnabled) {
            ObjectNode alarms = configuration.putObject("alarms");
            ArrayNode names = alarms.putArray("alarmNames");
            alarmNames.forEach(names::add);
            alarms.put("enable", alarmsEnabled).put("rollback", alarmsRollback);
        }
    }
}
