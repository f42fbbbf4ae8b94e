package dev.deckhand.deployment;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.deckhand.config.HealthCheckSettings;
import dev.deckhand.config.MigrationSettings;
import dev.deckhand.config.NotificationSettings;

/**
 * Everything the deployment steps need to know about where the image goes: resolve-env decides
 * it, every later step receives it.
 *
 * @param container the container to update, or {@code null} when the task has exactly one
 * @param requestedBy who asked for a promotion, or {@code null} for a push
 * @param healthCheck {@code null} when the environment trusts the ECS rollout alone
 * @param migration {@code null} when the environment has no migration
 * @param reason which rule chose this target, for people reading the execution
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
        NotificationSettings notifications,
        String reason) {
}
