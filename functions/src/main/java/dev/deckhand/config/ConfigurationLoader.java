package dev.deckhand.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.deckhand.errors.ConfigurationUnavailableException;
import dev.deckhand.errors.InvalidConfigurationException;
import dev.deckhand.freeze.FreezeSettings;
import dev.deckhand.freeze.FreezeWindow;
import dev.deckhand.gate.AlarmGate;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one loader of {@code deckhand.yml}, used by the handlers, the CDK app and the local cloud.
 * It validates the whole file and reports every problem at once, each naming its path
 * ({@code services[api].environments[prod].promoteFrom: unknown environment 'stagin'}).
 * The reference for every field is the README's "Configuration" section.
 */
public final class ConfigurationLoader {

    /** The only schema version so far; present so the format can evolve without guessing. */
    public static final int SCHEMA_VERSION = 1;

    private static final Pattern NAME = Names.SERVICE_OR_ENVIRONMENT;
    private static final Pattern REPOSITORY = Names.ECR_REPOSITORY;
    // ECS cluster and service names: up to 255 letters, numbers, hyphens and underscores.
    private static final Pattern ECS_NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern CONTAINER_NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern WHEN_FROZEN = Pattern.compile("wait|refuse");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    // A Secrets Manager secret name or ARN.
    private static final Pattern SECRET_ID =
            Pattern.compile("(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}");

    private static final Set<String> TOP_KEYS = keys("version", "services");
    private static final Set<String> SERVICE_KEYS = keys("repository", "container", "environments");
    private static final Set<String> ENVIRONMENT_KEYS = keys("cluster", "service", "repository", "deployOnPush",
            "promoteFrom", "promoters", "healthCheck", "migration", "verification", "notifications", "taskRoleArn", "executionRoleArn",
            "keepRevisions", "account", "roleArn", "approval", "freeze", "whenFrozen", "breakGlass", "gate",
            "strategy");
    private static final Set<String> GATE_KEYS = keys("alarms", "whenAlarming", "maxWaitMinutes");
    // API_PutMetricAlarm, AlarmName: 1 to 255 characters.
    private static final Pattern ALARM_NAME = Pattern.compile("[^\\x00-\\x1f]{1,255}");
    private static final Pattern WHEN_ALARMING = Pattern.compile("wait|refuse");
    private static final Set<String> FREEZE_KEYS = keys("from", "to", "timezone");
    private static final Set<String> HEALTH_KEYS = keys("url", "expectedStatus", "bodyContains",
            "consecutiveSuccesses", "maxAttempts", "timeoutSeconds");
    private static final Set<String> APPROVAL_KEYS = keys("required", "timeoutMinutes", "onTimeout",
            "preventSelfApproval", "approvers");
    private static final Set<String> PROMOTE_FROM_KEYS = keys("environment", "soakMinutes");
    /** A week: longer than any soak a release train asks for, short enough to catch a unit mistake. */
    private static final int MAX_SOAK_MINUTES = 10_080;
    private static final Set<String> STRATEGY_KEYS = keys("type", "circuitBreaker", "alarms", "bakeMinutes", "canary",
            "linear", "loadBalancer");
    private static final Set<String> CANARY_KEYS = keys("percent", "bakeMinutes");
    private static final Set<String> LINEAR_KEYS = keys("stepPercent", "stepBakeMinutes");
    private static final Set<String> LOAD_BALANCER_KEYS = keys("targetGroupArn", "alternateTargetGroupArn",
            "productionListenerRule", "testListenerRule", "roleArn", "container", "containerPort", "testUrl");
    private static final Pattern TARGET_GROUP_ARN =
            Pattern.compile("arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]+");
    // API_AdvancedConfiguration: a listener rule (ALB) or a listener (NLB).
    private static final Pattern LISTENER_OR_RULE_ARN = Pattern.compile(
            "arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:listener(-rule)?/(app|net)/[A-Za-z0-9/_-]+");
    private static final Set<String> MIGRATION_KEYS = keys("command", "container", "timeoutSeconds");
    private static final Set<String> NOTIFICATION_KEYS = keys("slackWebhookSecret", "github");
    private static final Set<String> GITHUB_KEYS = keys("repository", "tokenSecret", "environment");
    // GitHub: owner (user or organisation, up to 39 characters) / repository name.
    private static final Pattern GITHUB_REPOSITORY = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}");
    private static final Pattern GITHUB_ENVIRONMENT = Pattern.compile("[^\\x00-\\x1f]{1,255}");

    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().build().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

    private ConfigurationLoader() {
    }

    /**
     * Reads and validates a configuration file.
     *
     * @throws ConfigurationUnavailableException if the file cannot be read
     * @throws InvalidConfigurationException listing every problem in the file
     */
    public static DeckhandConfiguration load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigurationUnavailableException("configuration file not found: " + file);
        } catch (IOException e) {
            throw new ConfigurationUnavailableException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /**
     * Validates configuration text.
     *
     * @param source names the text in messages (a file path, an SSM parameter name)
     * @throws InvalidConfigurationException listing every problem in the text
     */
    public static DeckhandConfiguration parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigurationException(source, List.of("not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr() + ")")));
        }
        List<String> problems = new ArrayList<>();
        DeckhandConfiguration configuration = readConfiguration(root, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(source, problems);
        }
        return configuration;
    }

    private static DeckhandConfiguration readConfiguration(JsonNode root, List<String> problems) {
        if (root == null || root.isMissingNode()) {
            problems.add("the configuration is empty: it needs 'version: 1' and 'services'");
            return null;
        }
        ConfigObject top = ConfigObject.of(root, "", problems, TOP_KEYS);
        if (top == null) {
            return null;
        }
        if (!top.has("version")) {
            top.problem("version", "is required (write 'version: " + SCHEMA_VERSION + "')");
        } else {
            top.optionalInt("version", SCHEMA_VERSION, SCHEMA_VERSION, SCHEMA_VERSION);
        }
        Map<String, ServiceDefinition> services = new LinkedHashMap<>();
        top.requiredMapping("services").forEach((name, node) -> {
            ServiceDefinition service = readService(name, node, problems);
            if (service != null) {
                services.put(name, service);
            }
        });
        checkRepositoriesBelongToOneService(services, problems);
        checkEcsServicesHaveOneOwner(services, problems);
        return new DeckhandConfiguration(services);
    }

    private static ServiceDefinition readService(String name, JsonNode node, List<String> problems) {
        String path = "services[" + name + "]";
        if (!NAME.matcher(name).matches()) {
            problems.add(path + ": service name '" + name + "' must be 1-40 lowercase letters, digits or '-', "
                    + "starting with a letter");
        }
        ConfigObject service = ConfigObject.of(node, path, problems, SERVICE_KEYS);
        if (service == null) {
            return null;
        }
        String repository = service.optionalString("repository", REPOSITORY, "a valid ECR repository name");
        String container = service.optionalString("container", CONTAINER_NAME, "a valid container name");
        Map<String, EnvironmentDefinition> environments = new LinkedHashMap<>();
        service.requiredMapping("environments").forEach((environmentName, environmentNode) -> {
            EnvironmentDefinition environment =
                    readEnvironment(path, environmentName, environmentNode, repository, problems);
            if (environment != null) {
                environments.put(environmentName, environment);
            }
        });
        checkPromotions(path, environments, problems);
        return new ServiceDefinition(name, container, environments);
    }

    private static EnvironmentDefinition readEnvironment(
            String servicePath, String name, JsonNode node, String serviceRepository, List<String> problems) {
        String path = servicePath + ".environments[" + name + "]";
        if (!NAME.matcher(name).matches()) {
            problems.add(path + ": environment name '" + name + "' must be 1-40 lowercase letters, digits or '-', "
                    + "starting with a letter");
        }
        ConfigObject environment = ConfigObject.of(node, path, problems, ENVIRONMENT_KEYS);
        if (environment == null) {
            return null;
        }
        String cluster = environment.requiredString("cluster", ECS_NAME, "a valid ECS cluster name");
        String ecsService = environment.requiredString("service", ECS_NAME, "a valid ECS service name");
        String ownRepository = environment.optionalString("repository", REPOSITORY, "a valid ECR repository name");
        String repository = ownRepository != null ? ownRepository : serviceRepository;
        if (repository == null && !environment.has("repository")) {
            environment.problem("repository", "is required here because the service has no 'repository'");
        }
        List<TagPattern> patterns = new ArrayList<>();
        List<String> patternSources = environment.optionalStringList("deployOnPush");
        for (int i = 0; i < patternSources.size(); i++) {
            try {
                patterns.add(TagPattern.parse(patternSources.get(i)));
            } catch (IllegalArgumentException e) {
                problems.add(environment.child("deployOnPush") + "[" + i + "]: " + e.getMessage());
            }
        }
        String promoteFrom = null;
        int soakMinutes = 0;
        JsonNode promoteFromNode = environment.raw("promoteFrom");
        if (promoteFromNode != null && promoteFromNode.isObject()) {
            // The long form: {environment: staging, soakMinutes: 60}.
            ConfigObject source = ConfigObject.of(promoteFromNode, environment.child("promoteFrom"), problems,
                    PROMOTE_FROM_KEYS);
            promoteFrom = source.requiredString("environment", null, null);
            soakMinutes = source.optionalInt("soakMinutes", 0, 0, MAX_SOAK_MINUTES);
        } else {
            promoteFrom = environment.optionalString("promoteFrom", null, null);
        }
        if (patternSources.isEmpty() && promoteFrom == null && !environment.has("promoteFrom")) {
            problems.add(path + ": nothing can deploy here: set 'deployOnPush' (tag patterns), "
                    + "'promoteFrom' (an environment), or both");
        }
        List<PrincipalPattern> promoters = new ArrayList<>();
        List<String> promoterSources = environment.optionalStringList("promoters");
        for (int i = 0; i < promoterSources.size(); i++) {
            try {
                promoters.add(PrincipalPattern.parse(promoterSources.get(i)));
            } catch (IllegalArgumentException e) {
                problems.add(environment.child("promoters") + "[" + i + "]: " + e.getMessage());
            }
        }
        if (environment.has("promoters") && promoteFrom == null && !environment.has("promoteFrom")) {
            environment.problem("promoters", "only an environment reached by promotion ('promoteFrom') has promoters");
        }
        String account = environment.optionalString("account", ACCOUNT, "an AWS account id (12 digits)");
        String roleArn = environment.optionalString("roleArn", ROLE_ARN, "an IAM role ARN");
        checkAccountRole(environment, account, roleArn);
        HealthCheckSettings healthCheck = readHealthCheck(environment, problems);
        return new EnvironmentDefinition(
                name,
                repository,
                cluster,
                ecsService,
                patterns,
                promoteFrom,
                healthCheck,
                readOneOffTask(environment, "migration", "[\"bin/migrate\", \"up\"]", problems),
                readOneOffTask(environment, "verification", "[\"bin/e2e\", \"--smoke\"]", problems),
                readNotifications(environment, problems),
                environment.optionalString("taskRoleArn", ROLE_ARN, "an IAM role ARN"),
                environment.optionalString("executionRoleArn", ROLE_ARN, "an IAM role ARN"),
                promoters,
                environment.optionalInt("keepRevisions", EnvironmentDefinition.DEFAULT_KEEP_REVISIONS, 1, 1000),

                account,
                roleArn,
                readApproval(environment, problems),
                soakMinutes,
                readFreeze(environment, problems),
                readBreakGlass(environment, problems),
                readGate(environment, problems),
                readStrategy(environment, healthCheck, problems));
    }

    private static ApprovalSettings readApproval(ConfigObject environment, List<String> problems) {
        if (!environment.has("approval")) {
            return null;
        }
        ConfigObject approval = ConfigObject.of(environment.raw("approval"), environment.child("approval"), problems,
                APPROVAL_KEYS);
        if (approval == null) {
            return null;
        }
        if (!approval.has("required")) {
            approval.problem("required", "is required: true makes every deployment here wait for a person's answer");
        }
        boolean required = approval.optionalBoolean("required", false);
        int timeout = approval.optionalInt("timeoutMinutes", ApprovalSettings.DEFAULT_TIMEOUT_MINUTES, 1,
                ApprovalSettings.MAX_TIMEOUT_MINUTES);
        String onTimeout = approval.optionalString("onTimeout", null, null);
        if (onTimeout != null && !onTimeout.equals("reject")) {
            // An unanswered request is never let through: nobody looked at it.
            approval.problem("onTimeout", "'" + onTimeout + "' is not supported; the only choice is 'reject' "
                    + "(the deployment ends EXPIRED)");
        }
        boolean preventSelfApproval = approval.optionalBoolean("preventSelfApproval", true);
        List<PrincipalPattern> approvers = new ArrayList<>();
        List<String> sources = approval.optionalStringList("approvers");
        for (int i = 0; i < sources.size(); i++) {
            try {
                approvers.add(PrincipalPattern.parse(sources.get(i)));
            } catch (IllegalArgumentException e) {
                problems.add(approval.child("approvers") + "[" + i + "]: " + e.getMessage());
            }
        }
        return required ? new ApprovalSettings(timeout, "reject", preventSelfApproval, approvers) : null;
    }

    /** {@code freeze: [{from: "FRI 16:00", to: "MON 08:00", timezone: "Europe/Berlin"}]} and {@code whenFrozen}. */
    private static FreezeSettings readFreeze(ConfigObject environment, List<String> problems) {
        String whenFrozen = environment.optionalString("whenFrozen", WHEN_FROZEN, "wait or refuse");
        if (!environment.has("freeze")) {
            if (environment.has("whenFrozen")) {
                environment.problem("whenFrozen", "only an environment with 'freeze' windows has it");
            }
            return null;
        }
        JsonNode list = environment.raw("freeze");
        if (!list.isArray() || list.isEmpty()) {
            environment.problem("freeze", "must be a non-empty list of windows such as "
                    + "{from: \"FRI 16:00\", to: \"MON 08:00\", timezone: \"Europe/Berlin\"}");
            return null;
        }
        List<FreezeWindow> windows = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigObject window = ConfigObject.of(list.get(i), environment.child("freeze") + "[" + i + "]", problems,
                    FREEZE_KEYS);
            if (window == null) {
                continue;
            }
            try {
                windows.add(FreezeWindow.of(text(window, "from"), text(window, "to"), text(window, "timezone")));
            } catch (IllegalArgumentException e) {
                problems.add(window.path() + "." + e.getMessage());
            }
        }
        FreezeSettings settings = new FreezeSettings(windows, "refuse".equals(whenFrozen)
                ? FreezeSettings.WhenFrozen.REFUSE : FreezeSettings.WhenFrozen.WAIT);
        // Windows that join into a whole week would freeze forever, and a waiting push would outlive its execution.
        if (windows.size() == list.size() && !settings.longestFreeze(Instant.now())
                .minus(FreezeSettings.LONGEST_FREEZE).isNegative()) {
            environment.problem("freeze", "the windows join into a freeze of a week or more; leave time to deploy");
        }
        return settings;
    }

    /** {@code gate: {alarms: [names], whenAlarming: refuse|wait, maxWaitMinutes}}. */
    private static AlarmGate readGate(ConfigObject environment, List<String> problems) {
        if (!environment.has("gate")) {
            return null;
        }
        ConfigObject gate = ConfigObject.of(environment.raw("gate"), environment.child("gate"), problems, GATE_KEYS);
        if (gate == null) {
            return null;
        }
        List<String> alarms = gate.optionalStringList("alarms");
        if (alarms.isEmpty()) {
            gate.problem("alarms", "is required, a list of 1 to " + AlarmGate.MAX_ALARMS + " CloudWatch alarm names");
        } else if (alarms.size() > AlarmGate.MAX_ALARMS) {
            gate.problem("alarms", "names " + alarms.size() + " alarms; at most " + AlarmGate.MAX_ALARMS
                    + " (one DescribeAlarms call answers the gate)");
        } else if (new LinkedHashSet<>(alarms).size() != alarms.size()) {
            gate.problem("alarms", "names an alarm twice");
        }
        for (int i = 0; i < alarms.size(); i++) {
            if (!ALARM_NAME.matcher(alarms.get(i)).matches()) {
                problems.add(gate.child("alarms") + "[" + i + "]: '" + alarms.get(i)
                        + "' is not an alarm name (1 to 255 printable characters)");
            }
        }
        String when = gate.optionalString("whenAlarming", WHEN_ALARMING, "wait or refuse");
        // Four hours: the deployment holds its environment's lock while it waits.
        int maxWait = gate.optionalInt("maxWaitMinutes", AlarmGate.DEFAULT_MAX_WAIT_MINUTES, 1, 240);
        if (gate.has("maxWaitMinutes") && !"wait".equals(when)) {
            gate.problem("maxWaitMinutes", "only a gate that waits (whenAlarming: wait) has it");
        }
        return new AlarmGate(alarms, "wait".equals(when) ? AlarmGate.WhenAlarming.WAIT : AlarmGate.WhenAlarming.REFUSE,
                maxWait);
    }

    /** Who may promote during a freeze: only where there is a freeze to break. */
    private static List<PrincipalPattern> readBreakGlass(ConfigObject environment, List<String> problems) {
        List<PrincipalPattern> patterns = new ArrayList<>();
        List<String> sources = environment.optionalStringList("breakGlass");
        for (int i = 0; i < sources.size(); i++) {
            try {
                patterns.add(PrincipalPattern.parse(sources.get(i)));
            } catch (IllegalArgumentException e) {
                problems.add(environment.child("breakGlass") + "[" + i + "]: " + e.getMessage());
            }
        }
        if (environment.has("breakGlass") && !environment.has("freeze")) {
            environment.problem("breakGlass", "only an environment with 'freeze' windows has a freeze to break");
        }
        return patterns;
    }

    /** A field's text, or {@code null} when absent or not text (the window then names what is missing). */
    private static String text(ConfigObject object, String key) {
        JsonNode value = object.raw(key);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** A cross-account environment names both its account and the deployment role there. */
    private static void checkAccountRole(ConfigObject environment, String account, String roleArn) {
        if (environment.has("account") && !environment.has("roleArn")) {
            environment.problem("account", "needs 'roleArn', the deployment role Deckhand assumes in that account");
        } else if (environment.has("roleArn") && !environment.has("account")) {
            environment.problem("roleArn", "needs 'account', the account the role and the ECS service live in");
        } else if (account != null && roleArn != null && !roleArn.split(":")[4].equals(account)) {
            environment.problem("roleArn", "'" + roleArn + "' is not a role in account " + account);
        }
    }

    private static HealthCheckSettings readHealthCheck(ConfigObject environment, List<String> problems) {
        if (!environment.has("healthCheck")) {
            return null;
        }
        ConfigObject health = ConfigObject.of(environment.raw("healthCheck"), environment.child("healthCheck"),
                problems, HEALTH_KEYS);
        if (health == null) {
            return null;
        }
        String url = health.requiredString("url", null, null);
        if (url != null && !isHttpUrl(url)) {
            health.problem("url", "'" + url + "' is not an http:// or https:// URL");
        }
        HealthCheckSettings settings = new HealthCheckSettings(
                url,
                health.optionalInt("expectedStatus", HealthCheckSettings.DEFAULT_EXPECTED_STATUS, 100, 599),
                health.optionalString("bodyContains", null, null),
                health.optionalInt("consecutiveSuccesses", HealthCheckSettings.DEFAULT_CONSECUTIVE_SUCCESSES, 1, 20),
                health.optionalInt("maxAttempts", HealthCheckSettings.DEFAULT_MAX_ATTEMPTS, 1, 50),
                health.optionalInt("timeoutSeconds", HealthCheckSettings.DEFAULT_TIMEOUT_SECONDS, 1, 60));
        if (settings.worstRoundSeconds() > HealthCheckSettings.MAX_ROUND_SECONDS) {
            environment.problem("healthCheck", "consecutiveSuccesses (" + settings.consecutiveSuccesses()
                    + ") x (timeoutSeconds (" + settings.timeoutSeconds() + ") + 1 s between probes) = "
                    + settings.worstRoundSeconds() + " s, but one round of probes must fit in "
                    + HealthCheckSettings.MAX_ROUND_SECONDS + " s; lower either");
        }
        return settings;
    }

    /**
     * {@code strategy}: UpdateService's deploymentConfiguration. The ranges are ECS's
     * (API_CanaryConfiguration, API_LinearConfiguration, API_DeploymentConfiguration bakeTimeInMinutes).
     */
    private static DeploymentStrategy readStrategy(ConfigObject environment, HealthCheckSettings healthCheck,
            List<String> problems) {
        if (!environment.has("strategy")) {
            return null;
        }
        ConfigObject strategy = ConfigObject.of(environment.raw("strategy"), environment.child("strategy"), problems,
                STRATEGY_KEYS);
        if (strategy == null) {
            return null;
        }
        String typeName = strategy.requiredString("type", null, null);
        DeploymentStrategy.Kind kind = java.util.Arrays.stream(DeploymentStrategy.Kind.values())
                .filter(each -> each.configName().equals(typeName)).findFirst().orElse(null);
        if (typeName != null && kind == null) {
            strategy.problem("type", "'" + typeName + "' is not a strategy; use rolling, blue-green, linear or canary");
        }
        if (kind == null) {
            return null;
        }
        String name = kind.configName();
        List<String> alarms = strategy.optionalStringList("alarms");
        for (int i = 0; i < alarms.size(); i++) {
            if (!ALARM_NAME.matcher(alarms.get(i)).matches()) {
                problems.add(strategy.child("alarms") + "[" + i + "]: '" + alarms.get(i) + "' is not a CloudWatch alarm name");
            }
        }
        if (strategy.has("circuitBreaker") && !strategy.raw("circuitBreaker").isBoolean()) {
            strategy.problem("circuitBreaker", "must be true or false, found " + ConfigObject.describe(strategy.raw("circuitBreaker")));
        }
        boolean circuitBreaker = strategy.has("circuitBreaker") ? strategy.raw("circuitBreaker").asBoolean(true) : true;
        if (strategy.has("circuitBreaker") && kind.shiftsTraffic()) {
            strategy.problem("circuitBreaker", "belongs to a rolling deployment; a " + name
                    + " deployment rolls back on its lifecycle hook and alarms");
        }
        if (!kind.shiftsTraffic()) {
            for (String key : List.of("bakeMinutes", "canary", "linear", "loadBalancer")) {
                if (strategy.has(key)) {
                    strategy.problem(key, "a rolling deployment has no '" + key + "'; it belongs to blue-green, linear "
                            + "or canary");
                }
            }
            return new DeploymentStrategy(kind, circuitBreaker, alarms, null, null, null, null, null, null);
        }
        Integer bake = strategy.has("bakeMinutes") ? strategy.optionalInt("bakeMinutes", 0, 0, 1440) : null;
        Double canaryPercent = null;
        Integer canaryBake = null;
        if (strategy.has("canary")) {
            ConfigObject canary = ConfigObject.of(strategy.raw("canary"), strategy.child("canary"), problems, CANARY_KEYS);
            if (kind != DeploymentStrategy.Kind.CANARY) {
                strategy.problem("canary", "only a canary strategy has 'canary' (this one is " + name + ")");
            } else if (canary != null) {
                canaryPercent = percent(canary, "percent", 0.1);
                canaryBake = canary.has("bakeMinutes") ? canary.optionalInt("bakeMinutes", 0, 0, 1440) : null;
            }
        }
        Double stepPercent = null;
        Integer stepBake = null;
        if (strategy.has("linear")) {
            ConfigObject linear = ConfigObject.of(strategy.raw("linear"), strategy.child("linear"), problems, LINEAR_KEYS);
            if (kind != DeploymentStrategy.Kind.LINEAR) {
                strategy.problem("linear", "only a linear strategy has 'linear' (this one is " + name + ")");
            } else if (linear != null) {
                stepPercent = percent(linear, "stepPercent", 3.0);
                stepBake = linear.has("stepBakeMinutes") ? linear.optionalInt("stepBakeMinutes", 0, 0, 1440) : null;
            }
        }
        if (!strategy.has("loadBalancer")) {
            strategy.problem("loadBalancer", "is required: a " + name + " deployment shifts traffic between two "
                    + "target groups behind a load balancer's listener rules");
            return null;
        }
        LoadBalancerSettings loadBalancer = readLoadBalancer(strategy, problems);
        if (healthCheck != null && environment.has("account")) {
            strategy.problem("type", "a " + name + " deployment in another account would have that account's ECS "
                    + "invoke Deckhand's lifecycle hook, which Deckhand does not set up yet; use rolling there");
        }
        if (loadBalancer != null && healthCheck != null && loadBalancer.testUrl() == null
                && kind != DeploymentStrategy.Kind.BLUE_GREEN) {
            problems.add(strategy.child("loadBalancer") + ": a " + name + " deployment's health check probes the new "
                    + "revision through the test listener during each step (production answers then come from both "
                    + "revisions); set 'testListenerRule' and 'testUrl'");
        }
        return new DeploymentStrategy(kind, false, alarms, bake, canaryPercent, canaryBake, stepPercent, stepBake,
                loadBalancer);
    }

    /** A percentage ECS takes in multiples of 0.1, from {@code min} to 100. */
    private static Double percent(ConfigObject object, String key, double min) {
        if (!object.has(key)) {
            return null;
        }
        com.fasterxml.jackson.databind.JsonNode value = object.raw(key);
        if (!value.isNumber()) {
            object.problem(key, "must be a number, found " + ConfigObject.describe(value));
            return null;
        }
        double percent = value.asDouble();
        double tenths = percent * 10;
        if (percent < min || percent > 100 || Math.abs(tenths - Math.rint(tenths)) > 1e-9) {
            object.problem(key, "must be a multiple of 0.1 from " + min + " to 100, found " + value);
            return null;
        }
        return percent;
    }

    private static LoadBalancerSettings readLoadBalancer(ConfigObject strategy, List<String> problems) {
        ConfigObject balancer = ConfigObject.of(strategy.raw("loadBalancer"), strategy.child("loadBalancer"), problems,
                LOAD_BALANCER_KEYS);
        if (balancer == null) {
            return null;
        }
        String targetGroup = balancer.requiredString("targetGroupArn", TARGET_GROUP_ARN, "a target group ARN");
        String alternate = balancer.requiredString("alternateTargetGroupArn", TARGET_GROUP_ARN, "a target group ARN");
        if (targetGroup != null && targetGroup.equals(alternate)) {
            balancer.problem("alternateTargetGroupArn", "must differ from 'targetGroupArn': the new revision's tasks "
                    + "register in the other target group");
        }
        String production = balancer.requiredString("productionListenerRule", LISTENER_OR_RULE_ARN,
                "a listener rule (ALB) or listener (NLB) ARN");
        String test = balancer.optionalString("testListenerRule", LISTENER_OR_RULE_ARN,
                "a listener rule (ALB) or listener (NLB) ARN");
        String roleArn = balancer.requiredString("roleArn", ROLE_ARN, "an IAM role ARN");
        String container = balancer.optionalString("container", CONTAINER_NAME, "a valid container name");
        int port = balancer.optionalInt("containerPort", 0, 1, 65_535);
        if (!balancer.has("containerPort")) {
            balancer.problem("containerPort", "is required: the port the target groups send traffic to");
        }
        String testUrl = balancer.optionalString("testUrl", null, null);
        if (testUrl != null && !isHttpUrl(testUrl)) {
            balancer.problem("testUrl", "'" + testUrl + "' is not an http:// or https:// URL");
        } else if (balancer.has("testUrl") && !balancer.has("testListenerRule")) {
            balancer.problem("testUrl", "needs 'testListenerRule': only a test listener reaches the new revision alone");
        } else if (balancer.has("testListenerRule") && !balancer.has("testUrl")) {
            balancer.problem("testListenerRule", "needs 'testUrl', where Deckhand probes the test listener");
        }
        return new LoadBalancerSettings(targetGroup, alternate, production, test, roleArn, container, port, testUrl);
    }

    /** A one-off task of the new revision: the migration before the update, the verification after health. */
    private static MigrationSettings readOneOffTask(ConfigObject environment, String field, String example,
            List<String> problems) {
        if (!environment.has(field)) {
            return null;
        }
        ConfigObject migration = ConfigObject.of(environment.raw(field), environment.child(field),
                problems, MIGRATION_KEYS);
        if (migration == null) {
            return null;
        }
        List<String> command = migration.optionalStringList("command");
        if (command.isEmpty() && !migration.has("command")) {
            migration.problem("command", "is required, e.g. " + example);
        } else if (command.isEmpty() || command.stream().anyMatch(String::isBlank)) {
            migration.problem("command", "must be a non-empty list of non-blank strings");
        }
        return new MigrationSettings(
                command,
                migration.optionalString("container", CONTAINER_NAME, "a valid container name"),
                // Four hours: the longest a one-off task should hold a deployment.
                migration.optionalInt("timeoutSeconds", MigrationSettings.DEFAULT_TIMEOUT_SECONDS, 1, 14_400));
    }

    private static NotificationSettings readNotifications(ConfigObject environment, List<String> problems) {
        if (!environment.has("notifications")) {
            return NotificationSettings.NONE;
        }
        ConfigObject notifications = ConfigObject.of(environment.raw("notifications"),
                environment.child("notifications"), problems, NOTIFICATION_KEYS);
        if (notifications == null) {
            return NotificationSettings.NONE;
        }
        GitHubTarget github = readGitHub(notifications, problems);
        JsonNode raw = notifications.raw("slackWebhookSecret");
        if (raw != null && raw.isTextual() && raw.asText().startsWith("http")) {
            // Never echo the value: it is probably the webhook URL itself, which is a secret.
            notifications.problem("slackWebhookSecret", "must name a Secrets Manager secret that holds the "
                    + "webhook URL, not the URL itself (the value looks like a URL and was not printed)");
            return new NotificationSettings(null, github);
        }
        return new NotificationSettings(notifications.optionalString("slackWebhookSecret", SECRET_ID,
                "a Secrets Manager secret name or ARN"), github);
    }

    private static GitHubTarget readGitHub(ConfigObject notifications, List<String> problems) {
        if (!notifications.has("github")) {
            return null;
        }
        ConfigObject github = ConfigObject.of(notifications.raw("github"), notifications.child("github"), problems,
                GITHUB_KEYS);
        if (github == null) {
            return null;
        }
        JsonNode token = github.raw("tokenSecret");
        if (token != null && token.isTextual() && token.asText().matches("(gh[pousr]_|github_pat_).*")) {
            // Never echo the value: it is a token, not the name of the secret that holds one.
            github.problem("tokenSecret", "must name a Secrets Manager secret that holds the token, not the token "
                    + "itself (the value looks like a GitHub token and was not printed)");
            return null;
        }
        String repository = github.requiredString("repository", GITHUB_REPOSITORY, "owner/name");
        String secret = github.requiredString("tokenSecret", SECRET_ID, "a Secrets Manager secret name or ARN");
        String environment = github.optionalString("environment", GITHUB_ENVIRONMENT, "a GitHub environment name");
        return repository == null || secret == null ? null : new GitHubTarget(repository, secret, environment);
    }

    private static void checkPromotions(
            String servicePath, Map<String, EnvironmentDefinition> environments, List<String> problems) {
        for (EnvironmentDefinition environment : environments.values()) {
            String source = environment.promoteFrom();
            if (source == null) {
                continue;
            }
            String path = servicePath + ".environments[" + environment.name() + "].promoteFrom";
            if (source.equals(environment.name())) {
                problems.add(path + ": an environment cannot be promoted from itself");
            } else if (!environments.containsKey(source)) {
                problems.add(path + ": unknown environment '" + source + "' (environments of this service: "
                        + String.join(", ", environments.keySet()) + ")");
            } else if (promotionLoops(environment, environments)) {
                problems.add(path + ": promotions form a loop through '" + source + "'");
            }
        }
    }

    private static boolean promotionLoops(
            EnvironmentDefinition start, Map<String, EnvironmentDefinition> environments) {
        Set<String> seen = new HashSet<>();
        EnvironmentDefinition current = start;
        while (current != null && current.promoteFrom() != null) {
            if (!seen.add(current.name())) {
                return true;
            }
            current = environments.get(current.promoteFrom());
        }
        return false;
    }

    private static void checkRepositoriesBelongToOneService(
            Map<String, ServiceDefinition> services, List<String> problems) {
        Map<String, String> owners = new LinkedHashMap<>();
        for (ServiceDefinition service : services.values()) {
            for (EnvironmentDefinition environment : service.environments().values()) {
                String repository = environment.repository();
                if (repository == null) {
                    continue;
                }
                String owner = owners.putIfAbsent(repository, service.name());
                if (owner != null && !owner.equals(service.name())) {
                    problems.add("services[" + service.name() + "].environments[" + environment.name()
                            + "]: repository '" + repository + "' already belongs to service '" + owner
                            + "'; a repository deploys one service");
                }
            }
        }
    }

    /**
     * Locks and rollback targets are per environment: two environments deploying one ECS service
     * could change it at once, and roll it back to each other's revisions.
     */
    private static void checkEcsServicesHaveOneOwner(Map<String, ServiceDefinition> services, List<String> problems) {
        Map<String, String> owners = new LinkedHashMap<>();
        for (ServiceDefinition service : services.values()) {
            for (EnvironmentDefinition environment : service.environments().values()) {
                if (environment.cluster() == null || environment.ecsService() == null) {
                    continue;
                }
                String path = "services[" + service.name() + "].environments[" + environment.name() + "]";
                String owner = owners.putIfAbsent(environment.cluster() + "/" + environment.ecsService(), path);
                if (owner != null) {
                    problems.add(path + ": ECS service '" + environment.ecsService() + "' of cluster '"
                            + environment.cluster() + "' is already deployed by " + owner
                            + "; an ECS service has one owner");
                }
            }
        }
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Set<String> keys(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }
}
