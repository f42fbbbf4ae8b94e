package dev.deckhand.deployment;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.deckhand.config.DeploymentStrategy;
import dev.deckhand.config.HealthCheckSettings;
import dev.deckhand.config.MigrationSettings;
import dev.deckhand.config.NotificationSettings;
import dev.deckhand.freeze.FreezeSettings;
import dev.deckhand.gate.AlarmGate;
import java.time.Instant;

/**
 * Everything the deployment steps need to know about where the image goes: resolve-env decides
 * it, every later step receives it.
 *
 * @param container the container to update, or {@code null} when the task has exactly one
 * @param requestedBy who asked for a promotion, or {@code null} for a push
 * @param healthCheck {@code null} when the environment trusts the ECS rollout alone
 * @param migration {@code null} when the environment has no migration
 * @param verification the task run after health is verified; {@code null} when the environment has none
 * @param reason which rule chose this target, for people reading the execution
 * @param requestedAt when the request was made (as resolve-env's {@code RequestTime} decides it), or
 *     {@code null} when its execution's start is that time (a promotion, a console input without one)
 * @param roleArn the deployment role to assume for ECS and Logs when the environment is in another
 *     account, or {@code null} for Deckhand's own account
 * @param approval {@code null} when the environment deploys without a person's approval
 * @param freeze the environment's freeze windows, checked when the lock is taken, or {@code null}
 * @param breakGlass who overrode the freeze for this promotion and why, or {@code null}
 * @param gate the alarms that must not be in ALARM before the service changes, or {@code null}
 * @param strategy the ECS deployment strategy to ask for, or {@code null} to leave the service's
 *     own deployment configuration as it is
 */
@JsonPropertyOrder({"deploymentId", "trigger", "service", "environment"})
public record DeploymentTarget(
        DeploymentId deploymentId,
        Trigger trigger,
        String requestedBy,
        String service,
        String environment,
        String cluster,
        String ecsService,
        String container,
        ImageRef image,
        HealthCheckSettings healthCheck,
        MigrationSettings migration,
        MigrationSettings verification,
        NotificationSettings notifications,
        String reason,
        Instant requestedAt,
        String roleArn,
        ApprovalGate approval,
        FreezeSettings freeze,
        String breakGlass,
        AlarmGate gate,

        DeploymentStrategy strategy) {

    /**
     * The same target with no migration and no verification task: a rollback returns to code the
     * schema already served, verified before (the new code's verification may not even exist in it).
     */
    public DeploymentTarget withoutMigration() {
        return new DeploymentTarget(deploymentId, trigger, requestedBy, service, environment, cluster, ecsService,
                container, image, healthCheck, null, null, notifications, reason, requestedAt, roleArn, approval, freeze, breakGlass, gate, strategy);
    }

    public DeploymentTarget withRequestedAt(Instant time) {
        return new DeploymentTarget(deploymentId, trigger, requestedBy, service, environment, cluster, ecsService,
                container, image, healthCheck, migration, verification, notifications, reason, time, roleArn, approval, freeze, breakGlass, gate, strategy);
    }
}
