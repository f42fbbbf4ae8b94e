package dev.deckhand.infra;

import dev.deckhand.catalogue.Access;
import dev.deckhand.catalogue.Policies;
import dev.deckhand.catalogue.ResourceNames;
import dev.deckhand.config.DeckhandConfiguration;
import java.util.List;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * The ECS and IAM permissions of the functions that change services, as the catalogue's renderer
 * ({@link Policies}) scopes them to the clusters, services and task roles the configuration names.
 *
 * @param deploy for deploy-ecs: describe/update the services, register (tagged) and describe task
 *     definitions, list and describe the tasks of their clusters, pass the task roles
 * @param migrate for run-migration: run, list, describe and stop tasks on the clusters of environments
 *     with a migration, describe those services and task definitions, read the failed task's log
 *     lines, pass those environments' task roles
 * @param rollback for rollback: describe/update the services, describe task definitions and register
 *     (tagged) an equivalent of a deregistered one, pass the task roles
 * @param cleanup for record's cleanup after a success: describe the services (what runs), list and
 *     describe task definitions, deregister the surplus revisions Deckhand registered
 * @param clusters the names of every configured cluster
 * @param migrationClusters the names of the clusters migrations run on
 */
public record EcsPermissions(
        List<PolicyStatement> deploy, List<PolicyStatement> migrate, List<PolicyStatement> rollback,
        List<PolicyStatement> cleanup, List<String> clusters, List<String> migrationClusters) {

    /** The role the ECS tasks assume; {@code iam:PassRole} is conditioned on it. */
    public static final String ECS_TASKS_PRINCIPAL = Policies.ECS_TASKS_PRINCIPAL;

    private static final ResourceNames NAMES = CdkStatements.names(resource -> {
        throw new IllegalStateException(resource + " is not an ECS resource");
    });

    public EcsPermissions {
        deploy = List.copyOf(deploy);
        migrate = List.copyOf(migrate);
        rollback = List.copyOf(rollback);
        cleanup = List.copyOf(cleanup);
        clusters = List.copyOf(clusters);
        migrationClusters = List.copyOf(migrationClusters);
    }

    public static EcsPermissions forConfiguration(DeckhandConfiguration configuration) {
        return new EcsPermissions(cdk(Access.ECS_DEPLOY, configuration), cdk(Access.ECS_MIGRATE, configuration),
                cdk(Access.ECS_ROLLBACK, configuration), cdk(Access.ECS_CLEANUP, configuration), Policies.clusters(configuration),
                Policies.migrationClusters(configuration));
    }

    /** {@code arn:<partition>:ecr:<region>:<account>:repository/<name>} of every configured repository. */
    static List<String> repositoryArns(DeckhandConfiguration configuration) {
        return Policies.repositoryArns(configuration, NAMES);
    }

    private static List<PolicyStatement> cdk(Access access, DeckhandConfiguration configuration) {
        return Policies.of(access, configuration, NAMES).stream().map(CdkStatements::of).toList();
    }
}
