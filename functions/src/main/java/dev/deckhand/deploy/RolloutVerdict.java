package dev.deckhand.deploy;

import java.util.Optional;

/**
 * Judges a rollout from a service snapshot. Success means that <em>this</em> deployment reached
 * COMPLETED with Deckhand's revision as PRIMARY: a service that became steady because ECS's
 * circuit breaker rolled it back to the old revision is a failure — the false success deploy
 * tools reported for years by waiting for "services stable".
 *
 * <p>ECS semantics (API_Deployment, API_DeploymentCircuitBreaker): a deployment starts
 * IN_PROGRESS, becomes COMPLETED at steady state, or FAILED when the circuit breaker trips; with
 * rollback on, ECS then starts a new PRIMARY deployment of the last COMPLETED task definition.
 * Services behind a Classic Load Balancer or with another deployment controller report no
 * rolloutState; theirs is judged from the deployments and task counts, as ECS's waiter does.
 */
public final class RolloutVerdict {

    private RolloutVerdict() {
    }

    public static RolloutStatus judge(ServiceSnapshot service, String deploymentId, String taskDefinitionArn) {
        if (!"ACTIVE".equals(service.status())) {
            return new RolloutStatus.Failed("the service is " + service.status() + ", not ACTIVE", false);
        }
        Optional<EcsDeployment> primary = service.primary();
        Optional<EcsDeployment> ours = service.deployment(deploymentId);
        if (ours.isEmpty()) {
            String now = primary.map(p -> "; the service now runs " + p.taskDefinitionArn()).orElse("");
            return new RolloutStatus.Failed("deployment " + deploymentId + " is no longer in the service" + now,
                    primary.isPresent() && !primary.get().taskDefinitionArn().equals(taskDefinitionArn));
        }
        EcsDeployment deployment = ours.get();
        if ("FAILED".equals(deployment.rolloutState())) {
            boolean rolledBack = primary.isPresent() && !primary.get().id().equals(deploymentId);
            String reason = "rollout FAILED" + reasonSuffix(deployment)
                    + (rolledBack ? "; ECS rolled the service back to " + primary.get().taskDefinitionArn() : "");
            return new RolloutStatus.Failed(reason, rolledBack);
        }
        if (!deployment.isPrimary()) {
            return new RolloutStatus.Failed("deployment " + deploymentId + " was replaced by a newer one"
                    + primary.map(p -> " running " + p.taskDefinitionArn()).orElse(""),
                    primary.isPresent() && !primary.get().taskDefinitionArn().equals(taskDefinitionArn));
        }
        if (!deployment.taskDefinitionArn().equals(taskDefinitionArn)) {
            return new RolloutStatus.Failed("deployment " + deploymentId + " runs " + deployment.taskDefinitionArn()
                    + ", not " + taskDefinitionArn, false);
        }
        if ("COMPLETED".equals(deployment.rolloutState())) {
            return new RolloutStatus.Completed();
        }
        if (deployment.rolloutState() == null && service.deployments().size() == 1
                && deployment.runningCount() == deployment.desiredCount()) {
            // API_Deployment: rolloutState "is only returned for services that use the rolling update
            // (ECS) deployment type that aren't behind a Classic Load Balancer". Without it, steady
            // state is what ECS's own ServicesStable waiter accepts (ecs waiters-2.json): one
            // deployment left, running as many tasks as it wants — ours, as checked above.
            return new RolloutStatus.Completed();
        }
        return new RolloutStatus.InProgress(deployment.runningCount() + " of " + deployment.desiredCount()
                + " tasks running" + (deployment.failedTasks() > 0 ? ", " + deployment.failedTasks() + " failed" : ""));
    }

    private static String reasonSuffix(EcsDeployment deployment) {
        return deployment.rolloutStateReason() == null || deployment.rolloutStateReason().isBlank()
                ? "" : ": " + deployment.rolloutStateReason();
    }
}
