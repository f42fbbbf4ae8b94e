package dev.deckhand.deploy;

import java.time.Instant;

/**
 * An ECS deployment Deckhand started and waits for.
 *
 * @param image the image it rolls out (a rollback rolls out an older one)
 * @param serviceDeploymentArn ECS's service deployment of this change (ListServiceDeployments), for an
 *     operator to open ECS's own view of it; {@code null} when ECS did not list it yet
 */
public record Rollout(String ecsDeploymentId, String taskDefinition, String image, Instant startedAt,
        String serviceDeploymentArn) {
}
