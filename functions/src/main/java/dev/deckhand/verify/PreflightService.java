package dev.deckhand.verify;

import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.config.EnvironmentDefinition;
import dev.deckhand.config.ServiceDefinition;
import dev.deckhand.readiness.RollbackReadiness;
import dev.deckhand.readiness.RollbackReadiness.Readiness;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code deckhand verify}: per environment, whether a push could deploy and, if it failed, roll
 * back: cluster and service ACTIVE, the configured container in the live revision, every role in
 * it passable by Deckhand, the repository, the secrets the revision and the notifications read,
 * the health URL, and rollback readiness (the same check the deployer runs before the service
 * changes). Read-only.
 */
public final class PreflightService {

    private final ConfigurationSource configuration;
    private final Preconditions aws;
    private final RollbackReadiness readiness;

    public PreflightService(ConfigurationSource configuration, Preconditions aws, RollbackReadiness readiness) {
        this.configuration = configuration;
        this.aws = aws;
        this.readiness = readiness;
    }

    /**
     * @param service one service, or {@code null} for all
     * @param environment one environment of {@code service}, or {@code null} for all
     * @throws IllegalArgumentException naming what is configured, for an unknown service or environment
     */
    public List<Check> verify(String service, String environment) {
        DeckhandConfiguration config = configuration.load();
        List<Check> checks = new ArrayList<>();
        for (ServiceDefinition each : config.services().values()) {
            if (service != null && !each.name().equals(service)) {
                continue;
            }
            for (EnvironmentDefinition env : each.environments().values()) {
                if (environment == null || env.name().equals(environment)) {
                    checks.addAll(environment(config, each, env));
                }
            }
        }
        if (checks.isEmpty()) {
            throw new IllegalArgumentException(service == null ? "the configuration has no environments"
                    : config.service(service).isEmpty()
                            ? "unknown service '" + service + "' (configured: " + String.join(", ", config.services().keySet()) + ")"
                            : "service " + service + " has no environment '" + environment + "' (environments: "
                                    + String.join(", ", config.service(service).get().environments().keySet()) + ")");
        }
        return checks;
    }

    private List<Check> environment(DeckhandConfiguration config, ServiceDefinition service, EnvironmentDefinition env) {
        String target = service.name() + "/" + env.name();
        List<Check> checks = new ArrayList<>();
        Optional<String> cluster = aws.clusterStatus(env.cluster());
        if (cluster.isEmpty() || !cluster.get().equals("ACTIVE")) {
            checks.add(Check.fail(target, "cluster", "ECS cluster " + env.cluster() + (cluster.isEmpty() ? " does not exist"
                    : " is " + cluster.get()), "create the cluster, or fix 'cluster' of " + target + " in deckhand.yml"));
        } else {
            checks.add(Check.pass(target, "cluster", "ECS cluster " + env.cluster() + " is ACTIVE"));
        }
        Optional<Preconditions.LiveService> live = cluster.isEmpty() ? Optional.empty()
                : aws.service(env.cluster(), env.ecsService());
        if (live.isEmpty() || !live.get().status().equals("ACTIVE")) {
            checks.add(Check.fail(target, "service", "ECS service " + env.ecsService() + " in " + env.cluster()
                    + (live.isEmpty() ? " does not exist" : " is " + live.get().status()),
                    "create the service, or fix 'service' of " + target + " in deckhand.yml"));
        } else {
            checks.add(Check.pass(target, "service", "ECS service " + env.ecsService() + " is ACTIVE, running "
                    + live.get().taskDefinition()));
            checks.addAll(liveRevision(config, service, env, target, aws.taskDefinition(live.get().taskDefinition())));
        }
        checks.add(aws.repositoryExists(env.repository())
                ? Check.pass(target, "repository", "ECR repository " + env.repository() + " exists")
                : Check.fail(target, "repository", "ECR repository " + env.repository() + " does not exist",
                        "create it (aws ecr create-repository --repository-name " + env.repository() + ")"));
        if (env.notifications() != null && env.notifications().slackWebhookSecret() != null) {
            checks.add(secret(target, "Slack secret", env.notifications().slackWebhookSecret()));
        }
        checks.add(healthUrl(target, env));
        checks.add(rollbackReadiness(target, service, env));
        return checks;
    }

    private List<Check> liveRevision(DeckhandConfiguration config, ServiceDefinition service, EnvironmentDefinition env,
            String target, Preconditions.LiveTaskDefinition revision) {
        List<Check> checks = new ArrayList<>();
        String container = service.container();
        boolean found = container == null ? revision.containers().size() == 1 : revision.containers().contains(container);
        checks.add(found
                ? Check.pass(target, "container", "container " + (container == null ? revision.containers().get(0)
                        : container) + " is in the live revision")
                : Check.fail(target, "container", (container == null ? "the live revision has "
                        + revision.containers().size() + " containers and deckhand.yml names none"
                        : "the live revision has no container " + container) + " (containers: "
                        + String.join(", ", revision.containers()) + ")",
                        "set 'container' of service " + service.name() + " in deckhand.yml to one of them"));
        List<String> notPassable = revision.roles().stream().filter(role -> !PassableRoles.covers(config, role)).toList();
        checks.add(notPassable.isEmpty()
                ? Check.pass(target, "roles", revision.roles().isEmpty() ? "the live revision names no role"
                        : "Deckhand may pass " + String.join(", ", revision.roles()))
                : Check.fail(target, "roles", "Deckhand's deploy role may not pass " + String.join(", ", notPassable)
                        + " (iam:PassRole)", "name it as taskRoleArn or executionRoleArn of " + target
                        + " in deckhand.yml and deploy the CDK app again"));
        for (String secret : revision.secrets()) {
            // ECS reads a container secret from Secrets Manager (valueFrom is then the secret's ARN) or from an
            // SSM parameter (its name or ARN); only the first kind is checked.
            checks.add(secret.contains(":secretsmanager:") ? secret(target, "secret", secret)
                    : Check.pass(target, "secret", secret + ": an SSM parameter, not checked"));
        }
        return checks;
    }

    private Check secret(String target, String name, String secretId) {
        Optional<String> problem = aws.secretProblem(secretId);
        return problem.isEmpty()
                ? Check.pass(target, name, secretId + " is readable")
                : Check.fail(target, name, secretId + ": " + problem.get(),
                        "create the secret, or let the role that reads it call secretsmanager:GetSecretValue on it");
    }

    private static Check healthUrl(String target, EnvironmentDefinition env) {
        if (env.healthCheck() == null) {
            return Check.pass(target, "health URL", "none configured: the ECS rollout alone decides");
        }
        String url = env.healthCheck().url();
        try {
            URI uri = new URI(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Check.pass(target, "health URL", url);
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        return Check.fail(target, "health URL", "'" + url + "' is not an http(s) URL with a host",
                "fix healthCheck.url of " + target + " in deckhand.yml");
    }

    private Check rollbackReadiness(String target, ServiceDefinition service, EnvironmentDefinition env) {
        Readiness answer = readiness.check(service.name(), env.name(), env.cluster(), env.ecsService());
        if (answer instanceof Readiness.ImageUnavailable) {
            return Check.fail(target, "rollback", answer.summary(), "deploy an image successfully so there is a "
                    + "verified one to return to, and keep verified images out of ECR lifecycle expiry");
        }
        if (answer instanceof Readiness.Ready ready) {
            String status = aws.taskDefinition(ready.target().taskDefinition()).status();
            return Check.pass(target, "rollback", answer.summary() + ("ACTIVE".equals(status) ? ""
                    : "; the revision is " + status + " and would be registered again"));
        }
        return Check.pass(target, "rollback", answer.summary().replace("not ready: ", "") + "; nothing to fail yet");
    }
}
