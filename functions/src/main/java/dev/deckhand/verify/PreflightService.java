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
 * it passable by Deckhand, the repository, the secrets the revision and the notifications read, the
 * awslogs log groups it writes to, the health URL, and rollback readiness (the same check the
 * deployer runs before the service changes). A cross-account environment's ECS, logs and secrets
 * are read through its deployment role, and its repository's policy must let that account pull.
 * Read-only.
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
        // ECS, its logs and its secrets live in the environment's account; ECR and the history in Deckhand's.
        Preconditions there = aws;
        if (env.crossAccount()) {
            try {
                there = aws.asRole(env.roleArn());
                checks.add(Check.pass(target, "deployment role", "assumed " + env.roleArn()));
            } catch (Preconditions.RoleNotAssumable refused) {
                checks.add(Check.fail(target, "deployment role", "cannot assume " + env.roleArn() + ": "
                        + refused.getMessage(), "run verify with credentials the role's trust policy names (the "
                        + "target-account stack trusts Deckhand's function roles), or fix 'roleArn' of " + target));
                there = null;
            }
        }
        if (there != null) {
            try {
                ecs(config, service, env, target, there, checks);
            } catch (Preconditions.ReadRefused refused) {
                // The checks that need this read cannot say yes or no; the others still run.
                checks.add(Check.fail(target, "read access", refused.getMessage(), "let "
                        + (env.crossAccount() ? "the deployment role " + env.roleArn() : "your credentials")
                        + " call it: verify only reads"));
            }
        }
        checks.add(aws.repositoryExists(env.repository())
                ? Check.pass(target, "repository", "ECR repository " + env.repository() + " exists")
                : Check.fail(target, "repository", "ECR repository " + env.repository() + " does not exist",
                        "create it (aws ecr create-repository --repository-name " + env.repository() + ")"));
        if (env.crossAccount() && env.account() != null) {
            checks.add(crossAccountPull(target, env));
        }
        if (env.notifications() != null && env.notifications().slackWebhookSecret() != null) {
            checks.add(secret(aws, target, "Slack secret", env.notifications().slackWebhookSecret()));
        }
        checks.add(healthUrl(target, env));
        checks.add(rollbackReadiness(target, service, env, there));
        return checks;
    }

    private Check crossAccountPull(String target, EnvironmentDefinition env) {
        Optional<String> policy = aws.repositoryExists(env.repository()) ? aws.repositoryPolicy(env.repository())
                : Optional.empty();
        List<String> missing = policy.map(text -> CrossAccountPull.missing(text, env.account()))
                .orElse(CrossAccountPull.ACTIONS);
        if (missing.isEmpty()) {
            return Check.pass(target, "repository policy", "ECR repository " + env.repository() + " lets account "
                    + env.account() + " pull");
        }
        return Check.fail(target, "repository policy", "ECR repository " + env.repository()
                + (policy.isEmpty() ? " has no repository policy" : "'s policy does not grant " + String.join(", ", missing))
                + ": account " + env.account() + " cannot pull its images", "add this statement to its policy (aws ecr "
                + "set-repository-policy --repository-name " + env.repository() + "): "
                + CrossAccountPull.statement(env.account()));
    }

    /** Adds the checks of the environment's ECS service and live revision to {@code checks}, one by one. */
    private void ecs(DeckhandConfiguration config, ServiceDefinition service, EnvironmentDefinition env,
            String target, Preconditions there, List<Check> checks) {
        Optional<String> cluster = there.clusterStatus(env.cluster());
        if (cluster.isEmpty() || !cluster.get().equals("ACTIVE")) {
            checks.add(Check.fail(target, "cluster", "ECS cluster " + env.cluster() + (cluster.isEmpty() ? " does not exist"
                    : " is " + cluster.get()), "create the cluster, or fix 'cluster' of " + target + " in deckhand.yml"));
        } else {
            checks.add(Check.pass(target, "cluster", "ECS cluster " + env.cluster() + " is ACTIVE"));
        }
        Optional<Preconditions.LiveService> live = cluster.isEmpty() ? Optional.empty()
                : there.service(env.cluster(), env.ecsService());
        if (live.isEmpty() || !live.get().status().equals("ACTIVE")) {
            checks.add(Check.fail(target, "service", "ECS service " + env.ecsService() + " in " + env.cluster()
                    + (live.isEmpty() ? " does not exist" : " is " + live.get().status()),
                    "create the service, or fix 'service' of " + target + " in deckhand.yml"));
        } else {
            checks.add(Check.pass(target, "service", "ECS service " + env.ecsService() + " is ACTIVE, running "
                    + live.get().taskDefinition()));
            liveRevision(config, service, target, there, there.taskDefinition(live.get().taskDefinition()), checks);
        }
    }

    private void liveRevision(DeckhandConfiguration config, ServiceDefinition service, String target,
            Preconditions aws, Preconditions.LiveTaskDefinition revision, List<Check> checks) {
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
            checks.add(secret.contains(":secretsmanager:") ? secret(aws, target, "secret", secret)
                    : Check.pass(target, "secret", secret + ": an SSM parameter, not checked"));
        }
        for (Preconditions.AwslogsGroup logs : revision.logGroups()) {
            checks.add(logGroup(aws, target, logs));
        }
    }

    private static Check logGroup(Preconditions aws, String target, Preconditions.AwslogsGroup logs) {
        String where = "log group " + logs.group() + (logs.region() == null ? "" : " (" + logs.region() + ")")
                + " of container " + logs.container();
        if (aws.logGroupExists(logs.group(), logs.region())) {
            return Check.pass(target, "log group", where + " exists");
        }
        if (logs.createsGroup()) {
            return Check.pass(target, "log group", where + " does not exist yet; awslogs-create-group creates it");
        }
        // Without the group the awslogs driver cannot deliver, and the task does not start.
        return Check.fail(target, "log group", where + " does not exist", "create it (aws logs create-log-group "
                + "--log-group-name " + logs.group() + (logs.region() == null ? "" : " --region " + logs.region())
                + "), or fix awslogs-group in the task definition");
    }

    private static Check secret(Preconditions aws, String target, String name, String secretId) {
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

    /** @param there the environment account's reads, null when they are out of reach */
    private Check rollbackReadiness(String target, ServiceDefinition service, EnvironmentDefinition env,
            Preconditions there) {
        Readiness answer = readiness.check(service.name(), env.name(), env.cluster(), env.ecsService());
        if (answer instanceof Readiness.ImageUnavailable) {
            return Check.fail(target, "rollback", answer.summary(), "deploy an image successfully so there is a "
                    + "verified one to return to, and keep verified images out of ECR lifecycle expiry");
        }
        if (answer instanceof Readiness.Ready ready) {
            if (there == null) {
                return Check.pass(target, "rollback", answer.summary() + "; its revision's status is out of reach");
            }
            String status;
            try {
                status = there.taskDefinition(ready.target().taskDefinition()).status();
            } catch (Preconditions.ReadRefused refused) {
                return Check.pass(target, "rollback", answer.summary() + "; its revision's status is out of reach ("
                        + refused.getMessage() + ")");
            }
            return Check.pass(target, "rollback", answer.summary() + ("ACTIVE".equals(status) ? "; its revision is ACTIVE"
                    : "; its revision is " + status + ", re-registrable: the rollback registers it again from its "
                            + "description"));
        }
        return Check.pass(target, "rollback", answer.summary().replace("not ready: ", "") + "; nothing to fail yet");
    }
}
