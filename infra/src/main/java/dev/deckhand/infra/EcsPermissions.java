package dev.deckhand.infra;

import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.config.EnvironmentDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * The ECS and IAM permissions of the functions that change services, scoped by the
 * configuration to the clusters, services and task roles it names.
 *
 * <p>What each action can be scoped to is settled by the Service Authorization Reference for
 * Amazon ECS (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html):
 * {@code RegisterTaskDefinition} and {@code DescribeTaskDefinition} support no resource type, so
 * they take {@code *}; {@code RunTask} takes a task definition and the {@code ecs:cluster}
 * condition key; {@code DescribeTasks}/{@code StopTask} take a task ARN, which embeds the cluster;
 * {@code ListTasks} names a container instance (none on Fargate), so it takes {@code *} with the
 * {@code ecs:cluster} condition key.
 *
 * @param deploy for deploy-ecs: describe/update the services, register (tagged) and describe task
 *     definitions, list and describe the tasks of their clusters, pass the configured task roles
 * @param migrate for run-migration: run, list, describe and stop tasks on the clusters of environments
 *     with a migration, describe those services and task definitions, pass those environments' task roles
 * @param rollback for rollback: describe/update the services, describe task definitions and register
 *     (tagged) an equivalent of a deregistered one, pass the configured task roles
 * @param clusters the names of every configured cluster
 * @param migrationClusters the names of the clusters migrations run on
 */
public record EcsPermissions(
        List<PolicyStatement> deploy, List<PolicyStatement> migrate, List<PolicyStatement> rollback,
        List<String> clusters, List<String> migrationClusters) {

    /** The role the ECS tasks assume; {@code iam:PassRole} is conditioned on it. */
    public static final String ECS_TASKS_PRINCIPAL = "ecs-tasks.amazonaws.com";

    public EcsPermissions {
        deploy = List.copyOf(deploy);
        migrate = List.copyOf(migrate);
        rollback = List.copyOf(rollback);
        clusters = List.copyOf(clusters);
        migrationClusters = List.copyOf(migrationClusters);
    }

    public static EcsPermissions forConfiguration(DeckhandConfiguration configuration) {
        List<EnvironmentDefinition> all = environments(configuration, environment -> true);
        List<EnvironmentDefinition> migrating = environments(configuration, environment -> environment.migration() != null);
        List<String> clusters = sorted(all.stream().map(EnvironmentDefinition::cluster));
        List<String> services = sorted(all.stream().map(EcsPermissions::serviceArn));

        List<PolicyStatement> deploy = new ArrayList<>();
        // ListServiceDeployments names the service (service-deployment-permissions): the update records ECS's
        // service deployment of the change.
        deploy.add(allow(List.of("ecs:DescribeServices", "ecs:ListServiceDeployments", "ecs:UpdateService"), services));
        deploy.addAll(registerRevisions());
        // A failed rollout's stopped tasks: ListTasks names no resource of its own (a Fargate task has no
        // container instance), so it is scoped by the cluster condition key.
        deploy.add(listTasksOn(clusters));
        deploy.add(allow(List.of("ecs:DescribeTasks"), tasksOf(clusters)));
        passRole(all).ifPresent(deploy::add);

        List<PolicyStatement> migrate = new ArrayList<>();
        List<String> migrationClusters = sorted(migrating.stream().map(EnvironmentDefinition::cluster));
        if (!migrating.isEmpty()) {
            // The task's network and capacity settings are copied from the service.
            migrate.add(allow(List.of("ecs:DescribeServices"), sorted(migrating.stream().map(EcsPermissions::serviceArn))));
            migrate.add(allow(List.of("ecs:DescribeTaskDefinition"), List.of("*")));
            // Task definition families are not in the configuration (the deployer derives them from the
            // service), so RunTask is scoped by the cluster it runs on instead.
            migrate.add(PolicyStatement.Builder.create()
                    .effect(Effect.ALLOW)
                    .actions(List.of("ecs:RunTask"))
                    .resources(List.of(arn("task-definition/*")))
                    .conditions(Map.of("ArnEquals", Map.of("ecs:cluster",
                            migrationClusters.stream().map(EcsPermissions::clusterArn).toList())))
                    .build());
            // Task ids are minted by RunTask; the cluster is the narrowest part of the ARN known up front.
            migrate.add(allow(List.of("ecs:DescribeTasks", "ecs:StopTask"), tasksOf(migrationClusters)));
            // A rerun lists the deployment's earlier migration tasks, to adopt one rather than migrate twice.
            migrate.add(listTasksOn(migrationClusters));
            passRole(migrating).ifPresent(migrate::add);
        }

        // Rollback points a service at the revision it last verified; when that revision was
        // deregistered it registers an equivalent one (API_DeregisterTaskDefinition: UpdateService
        // refuses an INACTIVE revision), tagged and with the same roles, hence deploy's registration rights.
        List<PolicyStatement> rollback = new ArrayList<>();
        rollback.add(allow(List.of("ecs:DescribeServices", "ecs:ListServiceDeployments", "ecs:UpdateService"), services));
        rollback.addAll(registerRevisions());
        passRole(all).ifPresent(rollback::add);
        return new EcsPermissions(deploy, migrate, rollback, clusters, migrationClusters);
    }

    /** {@code arn:<partition>:ecr:<region>:<account>:repository/<name>} of every configured repository. */
    static List<String> repositoryArns(DeckhandConfiguration configuration) {
        return sorted(environments(configuration, environment -> true).stream()
                .map(EnvironmentDefinition::repository).filter(Objects::nonNull)
                .map(repository -> "arn:" + Aws.PARTITION + ":ecr:" + Aws.REGION + ":" + Aws.ACCOUNT_ID
                        + ":repository/" + repository));
    }

    /** {@code arn:<partition>:ecs:<region>:<account>:service/<cluster>/<service>}. */
    static String serviceArn(EnvironmentDefinition environment) {
        return arn("service/" + environment.cluster() + "/" + environment.ecsService());
    }

    static String clusterArn(String cluster) {
        return arn("cluster/" + cluster);
    }

    /**
     * Registering a tagged revision: Describe/RegisterTaskDefinition have no resource-level
     * permissions; the revision carries the deckhand:deployment tag, and tagging on creation needs
     * TagResource, allowed only as part of RegisterTaskDefinition
     * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html).
     */
    private static List<PolicyStatement> registerRevisions() {
        return List.of(allow(List.of("ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"), List.of("*")),
                PolicyStatement.Builder.create()
                        .effect(Effect.ALLOW)
                        .actions(List.of("ecs:TagResource"))
                        .resources(List.of(arn("task-definition/*")))
                        .conditions(Map.of("StringEquals", Map.of("ecs:CreateAction", "RegisterTaskDefinition")))
                        .build());
    }

    /** ListTasks names no resource of its own (a Fargate task has no container instance): scoped by cluster. */
    private static PolicyStatement listTasksOn(List<String> clusters) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("ecs:ListTasks"))
                .resources(List.of("*"))
                .conditions(Map.of("ArnEquals", Map.of("ecs:cluster",
                        clusters.stream().map(EcsPermissions::clusterArn).toList())))
                .build();
    }

    private static List<String> tasksOf(List<String> clusters) {
        return clusters.stream().map(cluster -> arn("task/" + cluster + "/*")).toList();
    }

    private static String arn(String resource) {
        return "arn:" + Aws.PARTITION + ":ecs:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":" + resource;
    }

    private static Optional<PolicyStatement> passRole(List<EnvironmentDefinition> environments) {
        List<String> roles = sorted(environments.stream()
                .flatMap(environment -> Stream.of(environment.taskRoleArn(), environment.executionRoleArn()))
                .filter(Objects::nonNull));
        if (roles.isEmpty()) {
            return Optional.empty();
        }
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html: only these roles,
        // and only to ECS tasks.
        return Optional.of(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("iam:PassRole"))
                .resources(roles)
                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", ECS_TASKS_PRINCIPAL)))
                .build());
    }

    private static List<EnvironmentDefinition> environments(
            DeckhandConfiguration configuration, Predicate<EnvironmentDefinition> filter) {
        return configuration.services().values().stream()
                .flatMap(service -> service.environments().values().stream())
                .filter(filter)
                .toList();
    }

    private static PolicyStatement allow(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(actions).resources(resources).build();
    }

    private static List<String> sorted(Stream<String> values) {
        return List.copyOf(values.collect(Collectors.toCollection(TreeSet::new)));
    }
}
