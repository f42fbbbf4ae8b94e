package dev.deckhand.deploy;

import java.time.Instant;

/**
 * An ECS deployment Deckhand started and waits for.
 *
 * @param image the image it rolls out (a rollback rolls out an older one)
 */
public record Rollout(String ecsDeploymentId, String taskDefinition, String image, Instant startedAt) {
}
