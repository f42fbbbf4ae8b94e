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
 * @param deploy for deploy-ecs and rollback: describe/update the services, register and describe
 *     task definitions, pass the configured task roles
 * @param migrate for run-migration: run, list, describe and stop tasks on the clusters of environments
 *     with a migration, pass those environments' task roles
 * @param migrationClusters the names of the clusters migrations run on
 */
public record EcsPermissions(List<PolicyStatement> deploy, List<PolicyStatement> migrate, List<String> migrationClusters) {

    /** The role the ECS tasks assume; {@code iam:PassRole} is conditioned on it. */
    public static final String ECS_TASKS_PRINCIPAL = "ecs-tasks.amazonaws.com";

    public EcsPermissions {
        deploy = List.copyOf(deploy);
        migrate = List.copyOf(migrate);
        migrationClusters = List.copyOf(migrationClusters);
    }

    public static EcsPermissions forConfiguration(DeckhandConfiguration configuration) {
        List<EnvironmentDefinition> all = environments(configuration, environment -> true);
        List<EnvironmentDefinition> migrating = environments(configuration, environment -> environment.migration() != null);

        List<PolicyStatement> deploy = new ArrayList<>();
        deploy.add(allow(List.of("ecs:DescribeServices", "ecs:UpdateService"),
                sorted(all.stream().map(EcsPermissions::serviceArn))));
        deploy.add(allow(List.of("ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"), List.of("*")));
        passRole(all).ifPresent(deploy::add);

        List<PolicyStatement> migrate = new ArrayList<>();
        if (!migrating.isEmpty()) {
            List<String> clusters = sorted(migrating.stream().map(environment -> clusterArn(environment.cluster())));
            // Task definition families are not in the configuration (the deployer derives them from the
            // service), so RunTask is scoped by the cluster it runs on instead.
            migrate.add(PolicyStatement.Builder.create()
                    .effect(Effect.ALLOW)
                    .actions(List.of("ecs:RunTask"))
                    .resources(List.of(arn("task-definition/*")))
                    .conditions(Map.of("ArnEquals", Map.of("ecs:cluster", clusters)))
                    .build());
            // Task ids are minted by RunTask; the cluster is the narrowest part of the ARN known up front.
            migrate.add(allow(List.of("ecs:DescribeTasks", "ecs:StopTask"),
                    sorted(migrating.stream().map(environment -> arn("task/" + environment.cluster() + "/*")))));
            // A rerun lists the deployment's earlier migration tasks, to adopt one rather than migrate twice.
            migrate.add(PolicyStatement.Builder.create()
                    .effect(Effect.ALLOW)
                    .actions(List.of("ecs:ListTasks"))
                    .resources(List.of("*"))
                    .conditions(Map.of("ArnEquals", Map.of("ecs:cluster", clusters)))
                    .build());
            passRole(migrating).ifPresent(migrate::add);
        }
        return new EcsPermissions(deploy, migrate,
                sorted(migrating.stream().map(EnvironmentDefinition::cluster)));
    }

    /** {@code arn:<partition>:ecs:<region>:<account>:service/<cluster>/<service>}. */
    static String serviceArn(EnvironmentDefinition environment) {
        return arn("service/" + environment.cluster() + "/" + environment.ecsService());
    }

    static String clusterArn(String cluster) {
        return arn("cluster/" + cluster);
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
