package dev.deckhand.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.deckhand.errors.ConfigurationUnavailableException;
import dev.deckhand.errors.InvalidConfigurationException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    // A Secrets Manager secret name or ARN.
    private static final Pattern SECRET_ID =
            Pattern.compile("(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}");

    private static final Set<String> TOP_KEYS = keys("version", "services");
    private static final Set<String> SERVICE_KEYS = keys("repository", "container", "environments");
    private static final Set<String> ENVIRONMENT_KEYS = keys("cluster", "service", "repository", "deployOnPush",
            "promoteFrom", "promoters", "healthCheck", "migration", "verification", "notifications", "taskRoleArn", "executionRoleArn",
            "keepRevisions", "account", "roleArn");
    private static final Set<String> HEALTH_KEYS = keys("url", "expectedStatus", "bodyContains",
            "consecutiveSuccesses", "maxAttempts", "timeoutSeconds");
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
        String promoteFrom = environment.optionalString("promoteFrom", null, null);
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
        return new EnvironmentDefinition(
                name,
                repository,
                cluster,
                ecsService,
                patterns,
                promoteFrom,
                readHealthCheck(environment, problems),
                readOneOffTask(environment, "migration", "[\"bin/migrate\", \"up\"]", problems),
                readOneOffTask(environment, "verification", "[\"bin/e2e\", \"--smoke\"]", problems),
                readNotifications(environment, problems),
                environment.optionalString("taskRoleArn", ROLE_ARN, "an IAM role ARN"),
                environment.optionalString("executionRoleArn", ROLE_ARN, "an IAM role ARN"),
                promoters,
                environment.optionalInt("keepRevisions", EnvironmentDefinition.DEFAULT_KEEP_REVISIONS, 1, 1000),

                account,
                roleArn);
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
