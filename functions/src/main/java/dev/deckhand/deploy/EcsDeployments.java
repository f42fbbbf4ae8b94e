package dev.deckhand.deploy;

import java.time.Instant;
import dev.deckhand.deployment.DeploymentId;

/** What Deckhand needs from Amazon ECS to change a service. Implemented over the SDK in {@code dev.deckhand.aws}. */
public interface EcsDeployments {

    /** The service now, with its deployments and newest events. */
    ServiceSnapshot describeService(String cluster, String service);

    /**
     * A revision identical to {@code baseTaskDefinitionArn} except for the image of the container
     * ({@code container}, or the only one when {@code null}). Idempotent per deployment: when the
     * family's latest revision was registered for the same deployment id, it is returned instead
     * of registering another ({@code RegisterTaskDefinition} has no idempotency token).
     */
    TaskDefinitionRevision registerRevision(String baseTaskDefinitionArn, String container, String imageUri,
            DeploymentId deploymentId);

    /**
     * Points the service at a revision and returns the id of the ECS deployment that runs it. When
     * the service's PRIMARY deployment already runs that revision (a retried step), returns its id
     * without starting another.
     */
    default String updateService(String cluster, String service, String taskDefinitionArn) {
        return updateService(cluster, service, taskDefinitionArn, null);
    }

    /**
     * The same, asking ECS for {@code strategy} (its deployment configuration, load balancer and
     * lifecycle hook); {@code null} leaves the service's own deployment configuration as it is.
     */
    String updateService(String cluster, String service, String taskDefinitionArn, StrategyRequest strategy);

    /**
     * The ARN of the service's newest service deployment created at or after {@code notBefore}
     * (ListServiceDeployments), or empty when ECS lists none. Deckhand holds the service's lock,
     * so after its UpdateService the newest one is the one that change started.
     */
    java.util.Optional<String> newestServiceDeployment(String cluster, String service, Instant notBefore);

    /**
     * ECS's service deployment {@code serviceDeploymentArn} (DescribeServiceDeployments), or empty
     * when ECS does not know it.
     */
    java.util.Optional<ServiceDeploymentState> serviceDeployment(String serviceDeploymentArn);

    /**
     * Why the tasks of an ECS deployment stopped (newest first, at most {@code limit}), e.g.
     * {@code "web exited 1: Essential container in task exited"}: what an operator reads first
     * after a failed rollout. Empty, never an error, when ECS no longer knows them.
     */
    java.util.List<String> stoppedTasks(String cluster, String service, String ecsDeploymentId, int limit);

    /**
     * A revision a service can be pointed at that runs exactly what {@code taskDefinitionArn}
     * ran: itself while ACTIVE; once deregistered (INACTIVE, which UpdateService refuses), an
     * equivalent revision registered from its description and tagged with {@code deploymentId},
     * found again instead of registered twice on a retry.
     */
    TaskDefinitionRevision usableRevision(String taskDefinitionArn, DeploymentId deploymentId);
}
