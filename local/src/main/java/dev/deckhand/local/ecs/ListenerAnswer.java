package dev.deckhand.local.ecs;

import java.time.Instant;

/**
 * One answer of a service's simulated load balancer.
 *
 * @param listener {@code production} or {@code test}
 * @param at the simulated instant of the answer
 * @param serviceRevisionArn the service revision that answered (null when no target was healthy)
 * @param taskDefinitionArn its task definition (null likewise)
 * @param imageDigest its image digest (null likewise)
 * @param status the HTTP status (0 when the revision never answered)
 */
public record ListenerAnswer(String listener, Instant at, String serviceRevisionArn, String taskDefinitionArn,
                             String imageDigest, int status) {
}
