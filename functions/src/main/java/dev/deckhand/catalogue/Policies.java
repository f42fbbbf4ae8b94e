package dev.deckhand.catalogue;

import dev.deckhand.aws.EcsMigrationTasks;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.config.EnvironmentDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one renderer of a function's permissions: from the catalogue's {@link Access} and the
 * configuration (clusters, services, roles, repositories, secrets) to plain IAM statements. The
 * CDK app puts exactly these on each function's role and the local cloud enforces exactly these,
 * so what is tested locally cannot drift from what is deployed.
 *
 * <p>What each ECS action can be scoped to is settled by the Service Authorization Reference for
 * Amazon ECS (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html):
 * {@code RegisterTaskDefinition} and {@code DescribeTaskDefinition} support no resource type, so
 * they take {@code *}; {@code RunTask} takes a task definition and the {@code ecs:cluster}
 * condition key; {@code DescribeTasks}/{@code StopTask} take a task ARN, which embeds the cluster;
 * {@code ListTasks} names a container instance (none on Fargate), so it takes {@code *} with the
 * {@code ecs:cluster} condition key.
 */
public final class Policies {

    /** The service ECS tasks assume their roles through; {@code iam:PassRole} is conditioned on it. */
    public static final String ECS_TASKS_PRINCIPAL = "ecs-tasks.amazonaws.com";
    /** ECS itself, which assumes the lifecycle hook's invoke role and the load balancer role. */
    public static final String ECS_PRINCIPAL = "ecs.amazonaws.com";

    private Policies() {
    }

    /** Every statement of {@code function}'s role beyond its own log group and X-Ray, in catalogue order. */
    public static List<Statement> of(DeployerFunction function, DeckhandConfiguration configuration, ResourceNames names) {
        List<Statement> statements = new ArrayList<>();
        for (Access access : function.access()) {
            statements.addAll(of(access, configuration, names));
        }
        return List.copyOf(statements);
    }

    /** The statements one {@link Access} renders to (none, when the configuration names nothing it reaches). */
    public static List<Statement> of(Access access, DeckhandConfiguration configuration, ResourceNames names) {
        List<Statement> statements = new ArrayList<>();
        for (Grant grant : access.permissions()) {
            switch (grant.resource()) {
                // Deckhand's own account's environments; a cross-account one's are its deployment role's.
                case CONFIGURED_ECS -> statements.addAll(ecs(access, configuration, names,
                        environment -> !environment.crossAccount()));
                // Exactly the configured roles; none configured, no statement.
                case DEPLOYMENT_ROLES, MIGRATION_DEPLOYMENT_ROLES -> {
                    List<String> roles = grant.resource() == Resource.DEPLOYMENT_ROLES ? deploymentRoleArns(configuration)
                            : migrationDeploymentRoleArns(configuration);
                    if (!roles.isEmpty()) {
                        statements.add(Statement.allow(grant.actions(), roles));
                    }
                }
                // Only the secrets the configuration names; none named, no statement.
                case SLACK_WEBHOOK_SECRETS -> secrets(grant, configuration, names,
                        settings -> settings.slackWebhookSecret()).ifPresent(statements::add);
                case GITHUB_TOKEN_SECRETS -> secrets(grant, configuration, names,
                        settings -> settings.github() == null ? null : settings.github().tokenSecret())
                        .ifPresent(statements::add);
                // Exactly the gates' alarms, in Deckhand's own account and region; no gate, no statement.
                case GATE_ALARMS -> {
                    List<String> alarms = gateAlarmArns(configuration, names);
                    if (!alarms.isEmpty()) {
                        statements.add(Statement.allow(grant.actions(), alarms));
                    }
                }
                // Only when an environment of this account has ECS invoke Deckhand's hook.
                case HOOK_INVOKE_ROLE -> {
                    if (usesLifecycleHook(configuration)) {
                        statements.add(Statement.allow(grant.actions(), List.of(names.arn(grant.resource())))
                                .when("StringEquals", "iam:PassedToService", List.of(ECS_PRINCIPAL)));
                    }
                }
                // Service Authorization Reference for Amazon ECR: DescribeImages takes the repository resource type.
                case CONFIGURED_ECR_REPOSITORIES -> {
                    List<String> repositories = repositoryArns(configuration, names);
                    if (!repositories.isEmpty()) {
                        statements.add(Statement.allow(grant.actions(), repositories));
                    }
                }
                default -> {
                    Statement statement = Statement.allow(grant.actions(), List.of(names.arn(grant.resource())));
                    for (var operator : grant.conditions().entrySet()) {
                        for (var key : operator.getValue().entrySet()) {
                            statement = statement.when(operator.getKey(), key.getKey(), List.of(key.getValue()));
                        }
                    }
                    statements.add(statement);
                }
            }
        }
        return statements;
    }

    private static java.util.Optional<Statement> secrets(Grant grant, DeckhandConfiguration configuration,
            ResourceNames names, java.util.function.Function<dev.deckhand.config.NotificationSettings, String> secret) {
        List<String> arns = sorted(environments(configuration, environment -> true).stream()
                .map(environment -> secret.apply(environment.notifications()))
                .filter(Objects::nonNull).map(name -> secretArn(name, names)));
        return arns.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(Statement.allow(grant.actions(), arns));
    }

    /** The names of every configured cluster. */
    public static List<String> clusters(DeckhandConfiguration configuration) {
        return sorted(environments(configuration, environment -> true).stream().map(EnvironmentDefinition::cluster));
    }

    /** The names of the clusters one-off tasks (migrations, verification tasks) run on. */
    public static List<String> migrationClusters(DeckhandConfiguration configuration) {
        return sorted(environments(configuration, EnvironmentDefinition::runsOneOffTasks).stream()
                .map(EnvironmentDefinition::cluster));
    }

    /**
     * The environments that name no role for Deckhand to pass: their task definitions' roles are
     * passed under the account-wide rule of {@link #passRole}, which {@code config check} and synth
     * say in one line.
     */
    public static List<String> environmentsWithoutRoles(DeckhandConfiguration configuration) {
        List<String> names = new ArrayList<>();
        configuration.services().forEach((service, definition) -> definition.environments().forEach((name, environment) -> {
            if (environment.taskRoleArn() == null && environment.executionRoleArn() == null) {
                names.add(service + "/" + name);
            }
        }));
        return List.copyOf(names);
    }

    /**
     * One line for {@code config check} and synth when an environment names no role, saying what
     * to add to narrow {@code iam:PassRole}; empty when every environment names its roles.
     */
    public static java.util.Optional<String> rolesAdvice(DeckhandConfiguration configuration) {
        List<String> without = environmentsWithoutRoles(configuration);
        if (without.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("warning: " + String.join(", ", without) + (without.size() == 1 ? " names" : " name")
                + " no role, so Deckhand may pass any role of the account to ECS tasks; to allow only yours, add "
                + "executionRoleArn: arn:aws:iam::<account>:role/<name> (and taskRoleArn, if its task definition has one)");
    }

    /** The deployment roles of every cross-account environment. */
    public static List<String> deploymentRoleArns(DeckhandConfiguration configuration) {
        return sorted(environments(configuration, EnvironmentDefinition::crossAccount).stream()
                .map(EnvironmentDefinition::roleArn));
    }

    /** The deployment roles of the cross-account environments that run a migration or a verification task. */
    public static List<String> migrationDeploymentRoleArns(DeckhandConfiguration configuration) {
        return sorted(environments(configuration, environment -> environment.crossAccount()
                && environment.runsOneOffTasks()).stream().map(EnvironmentDefinition::roleArn));
    }

    /** The accounts of the cross-account environments, each with a deployment role to deploy there. */
    public static List<String> targetAccounts(DeckhandConfiguration configuration) {
        return sorted(environments(configuration, EnvironmentDefinition::crossAccount).stream()
                .map(EnvironmentDefinition::account));
    }

    /**
     * The permissions of the deployment role in {@code names.account()}: what deploy, migration
     * and rollback need on that account's environments (their ECS_DEPLOY, ECS_MIGRATE and
     * ECS_ROLLBACK statements, rendered as for Deckhand's own account), so a function acting
     * through the role can do there exactly what it may do at home.
     */
    public static List<Statement> deploymentRole(DeckhandConfiguration configuration, ResourceNames names) {
        Predicate<EnvironmentDefinition> there =
                environment -> environment.crossAccount() && environment.account().equals(names.account());
        java.util.LinkedHashSet<Statement> statements = new java.util.LinkedHashSet<>();
        for (Access access : List.of(Access.ECS_DEPLOY, Access.ECS_MIGRATE, Access.ECS_ROLLBACK)) {
            statements.addAll(ecs(access, configuration, names, there));
        }
        return List.copyOf(statements);
    }

    private static List<Statement> ecs(Access access, DeckhandConfiguration configuration, ResourceNames names,
            Predicate<EnvironmentDefinition> inScope) {
        List<EnvironmentDefinition> all = environments(configuration, inScope);
        if (all.isEmpty()) {
            return List.of();
        }
        List<String> clusters = sorted(all.stream().map(EnvironmentDefinition::cluster));
        List<Statement> statements = new ArrayList<>();
        switch (access) {
            case ECS_DEPLOY -> {
                // ListServiceDeployments names the service (service-deployment-permissions): the update records ECS's
                // service deployment of the change.
                statements.add(Statement.allow(List.of("ecs:DescribeServices", "ecs:ListServiceDeployments",
                        "ecs:UpdateService"), serviceArns(all, names)));
                statements.addAll(registerRevisions(names));
                // A failed rollout's stopped tasks: ListTasks names no resource of its own (a Fargate task has no
                // container instance), so it is scoped by the cluster condition key.
                statements.add(listTasksOn(clusters, names));
                statements.add(Statement.allow(List.of("ecs:DescribeTasks"), tasksOf(clusters, names)));
                statements.add(passRole(all, names));
                loadBalancerRoles(all).ifPresent(statements::add);
                // A blue-green, linear or canary deployment is judged by its service deployment, whose ARN names
                // cluster and service (service-deployment-permissions).
                List<String> shifting = sorted(all.stream()
                        .filter(environment -> environment.strategy() != null && environment.strategy().shiftsTraffic())
                        .map(environment -> names.arn("ecs", "service-deployment/" + environment.cluster() + "/"
                                + environment.ecsService() + "/*")));
                if (!shifting.isEmpty()) {
                    statements.add(Statement.allow(List.of("ecs:DescribeServiceDeployments"), shifting));
                }
            }
            case ECS_MIGRATE -> {
                List<EnvironmentDefinition> migrating = all.stream().filter(EnvironmentDefinition::runsOneOffTasks).toList();
                if (migrating.isEmpty()) {
                    return List.of();
                }
                List<String> migrationClusters = sorted(migrating.stream().map(EnvironmentDefinition::cluster));
                // The task's network and capacity settings are copied from the service.
                statements.add(Statement.allow(List.of("ecs:DescribeServices"), serviceArns(migrating, names)));
                statements.add(Statement.allow(List.of("ecs:DescribeTaskDefinition"), List.of("*")));
                // Task definition families are not in the configuration (the deployer derives them from the
                // service), so RunTask is scoped by the cluster it runs on instead.
                statements.add(Statement.allow(List.of("ecs:RunTask"), List.of(names.arn("ecs", "task-definition/*")))
                        .when("ArnEquals", "ecs:cluster", clusterArns(migrationClusters, names)));
                // Task ids are minted by RunTask; the cluster is the narrowest part of the ARN known up front.
                // RunTask tags the task (tagging on create needs TagResource with ecs:CreateAction,
                // supported-iam-actions-tagging), and the task resource type carries ecs:ResourceTag/<key>
                // (Service Authorization Reference for Amazon ECS), so StopTask reaches only Deckhand's
                // migration tasks, never a service's. DescribeTasks is not conditioned on the tag: it reads a
                // task after it stopped, and API_StopTask says a stopped task's tags are deleted.
                List<String> migrationTasks = tasksOf(migrationClusters, names);
                statements.add(Statement.allow(List.of("ecs:TagResource"), migrationTasks)
                        .when("StringEquals", "ecs:CreateAction", List.of("RunTask")));
                statements.add(Statement.allow(List.of("ecs:DescribeTasks"), migrationTasks));
                statements.add(Statement.allow(List.of("ecs:StopTask"), migrationTasks).when("StringEquals",
                        "ecs:ResourceTag/" + EcsMigrationTasks.TAG_KEY, List.of(EcsMigrationTasks.TAG_VALUE)));
                // A rerun lists the deployment's earlier migration tasks, to adopt one rather than migrate twice.
                statements.add(listTasksOn(migrationClusters, names));
                // A failed migration's last log lines (EcsMigrationTasks). The log group is named by the task
                // definition, not by the configuration, so any group of the account and region; IAM names a
                // group's streams as log-group:<name>:* (CloudWatch Logs, iam-access-control-overview-cwl).
                statements.add(Statement.allow(List.of("logs:GetLogEvents"), List.of(names.arn("logs", "log-group:*"))));
                statements.add(passRole(migrating, names));
            }
            // Rollback points a service at the revision it last verified; when that revision was
            // deregistered it registers an equivalent one (API_DeregisterTaskDefinition: UpdateService
            // refuses an INACTIVE revision), tagged and with the same roles, hence deploy's registration rights.
            case ECS_ROLLBACK -> {
                statements.add(Statement.allow(List.of("ecs:DescribeServices", "ecs:ListServiceDeployments",
                        "ecs:UpdateService"), serviceArns(all, names)));
                statements.addAll(registerRevisions(names));
                statements.add(passRole(all, names));
                loadBalancerRoles(all).ifPresent(statements::add);
            }
            // Service Authorization Reference for Amazon ECS (list_amazonelasticcontainerservice): ListTaskDefinitions,
            // DescribeTaskDefinition and DeregisterTaskDefinition list no resource type, so they take "*".
            case ECS_CLEANUP -> {
                statements.add(Statement.allow(List.of("ecs:DescribeServices"), serviceArns(all, names)));
                statements.add(Statement.allow(List.of("ecs:ListTaskDefinitions", "ecs:DescribeTaskDefinition",
                        "ecs:DeregisterTaskDefinition"), List.of("*")));
            }
            default -> throw new IllegalStateException(access + " has no ECS permissions");
        }
        return statements;
    }

    /**
     * Registering a tagged revision: Describe/RegisterTaskDefinition have no resource-level
     * permissions; the revision carries the deckhand:deployment tag, and tagging on creation needs
     * TagResource, allowed only as part of RegisterTaskDefinition
     * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html).
     */
    private static List<Statement> registerRevisions(ResourceNames names) {
        return List.of(Statement.allow(List.of("ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"), List.of("*")),
                Statement.allow(List.of("ecs:TagResource"), List.of(names.arn("ecs", "task-definition/*")))
                        .when("StringEquals", "ecs:CreateAction", List.of("RegisterTaskDefinition")));
    }

    private static Statement listTasksOn(List<String> clusters, ResourceNames names) {
        return Statement.allow(List.of("ecs:ListTasks"), List.of("*"))
                .when("ArnEquals", "ecs:cluster", clusterArns(clusters, names));
    }

    /**
     * {@code iam:PassRole}, only to ECS tasks (id_roles_use_passrole). When every environment in
     * scope names its roles ({@code taskRoleArn}, {@code executionRoleArn}), exactly those. When one
     * names none, Deckhand cannot know the roles its task definitions carry (almost every Fargate
     * task definition has an execution role), and refusing would fail that environment's first
     * deployment with AccessDenied; so any role of the account, still only to ECS tasks, which can
     * only assume roles that trust {@code ecs-tasks.amazonaws.com}. Naming the roles narrows it.
     */
    private static Statement passRole(List<EnvironmentDefinition> environments, ResourceNames names) {
        List<String> roles = passableRoles(environments)
                .orElse(List.of("arn:" + names.partition() + ":iam::" + names.account() + ":role/*"));
        return Statement.allow(List.of("iam:PassRole"), roles)
                .when("StringEquals", "iam:PassedToService", List.of(ECS_TASKS_PRINCIPAL));
    }

    /**
     * The roles ECS assumes to move the listener rules of a blue-green, linear or canary deployment
     * (API_AdvancedConfiguration roleArn), passed in UpdateService's loadBalancers, only to ECS.
     */
    private static java.util.Optional<Statement> loadBalancerRoles(List<EnvironmentDefinition> environments) {
        List<String> roles = sorted(environments.stream()
                .filter(environment -> environment.strategy() != null && environment.strategy().loadBalancer() != null)
                .map(environment -> environment.strategy().loadBalancer().roleArn()));
        return roles.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(Statement.allow(
                List.of("iam:PassRole"), roles).when("StringEquals", "iam:PassedToService", List.of(ECS_PRINCIPAL)));
    }

    /** Whether ECS invokes Deckhand's lifecycle hook for an environment of Deckhand's own account. */
    public static boolean usesLifecycleHook(DeckhandConfiguration configuration) {
        return environments(configuration, environment -> !environment.crossAccount()).stream()
                .anyMatch(environment -> environment.strategy() != null && environment.strategy().shiftsTraffic()
                        && environment.healthCheck() != null);
    }

    /**
     * The roles Deckhand may pass to ECS tasks for {@code configuration}'s environments: exactly those
     * they name when every one names its roles; empty when one names none, and then any role of the
     * account (see {@link #rolesAdvice}). The one statement of the rule; {@code deckhand verify} asks it too.
     */
    public static java.util.Optional<List<String>> passableRoles(DeckhandConfiguration configuration) {
        return passableRoles(environments(configuration, environment -> true));
    }

    private static java.util.Optional<List<String>> passableRoles(List<EnvironmentDefinition> environments) {
        boolean everyNamesRoles = environments.stream()
                .allMatch(environment -> environment.taskRoleArn() != null || environment.executionRoleArn() != null);
        return everyNamesRoles
                ? java.util.Optional.of(sorted(environments.stream()
                        .flatMap(environment -> Stream.of(environment.taskRoleArn(), environment.executionRoleArn()))
                        .filter(Objects::nonNull)))
                : java.util.Optional.empty();
    }

    /**
     * Both ECS service ARN formats: the long one ({@code service/<cluster>/<service>}) and the short
     * one ({@code service/<service>}) that services created before ECS's long-ARN format became
     * the default keep; a policy naming only one format would deny the other's services.
     */
    private static List<String> serviceArns(List<EnvironmentDefinition> environments, ResourceNames names) {
        return sorted(environments.stream().flatMap(environment -> Stream.of(
                names.arn("ecs", "service/" + environment.cluster() + "/" + environment.ecsService()),
                names.arn("ecs", "service/" + environment.ecsService()))));
    }

    private static List<String> clusterArns(List<String> clusters, ResourceNames names) {
        return clusters.stream().map(cluster -> names.arn("ecs", "cluster/" + cluster)).toList();
    }

    private static List<String> tasksOf(List<String> clusters, ResourceNames names) {
        return clusters.stream().map(cluster -> names.arn("ecs", "task/" + cluster + "/*")).toList();
    }

    /** {@code arn:<partition>:ecr:<region>:<account>:repository/<name>} of every configured repository. */
    /** The ARNs of the alarms every alarm gate names ({@code alarm:${AlarmName}}). */
    public static List<String> gateAlarmArns(DeckhandConfiguration configuration, ResourceNames names) {
        return sorted(environments(configuration, environment -> environment.gate() != null).stream()
                .flatMap(environment -> environment.gate().alarms().stream())
                .map(alarm -> names.arn("cloudwatch", "alarm:" + alarm)));
    }

    public static List<String> repositoryArns(DeckhandConfiguration configuration, ResourceNames names) {
        return sorted(environments(configuration, environment -> true).stream()
                .map(EnvironmentDefinition::repository).filter(Objects::nonNull)
                .map(repository -> names.arn("ecr", "repository/" + repository)));
    }

    /**
     * A secret's ARN ends with '-' and six random characters Secrets Manager appends, so a name
     * matches as {@code name-??????}
     * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html).
     */
    static String secretArn(String nameOrArn, ResourceNames names) {
        if (nameOrArn.startsWith("arn:")) {
            return nameOrArn;
        }
        return names.arn("secretsmanager", "secret:" + nameOrArn + "-??????");
    }

    private static List<EnvironmentDefinition> environments(
            DeckhandConfiguration configuration, Predicate<EnvironmentDefinition> filter) {
        return configuration.services().values().stream()
                .flatMap(service -> service.environments().values().stream())
                .filter(filter)
                .toList();
    }

    private static List<String> sorted(Stream<String> values) {
        return List.copyOf(values.collect(Collectors.toCollection(TreeSet::new)));
    }
}
