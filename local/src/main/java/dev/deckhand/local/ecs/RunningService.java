package dev.deckhand.local.ecs;

import java.net.URI;

/**
 * A service seeded as already running.
 *
 * @param clusterArn the cluster's ARN
 * @param serviceArn the service's ARN
 * @param taskDefinitionArn the revision it runs
 * @param url where its load balancer answers, {@code http://127.0.0.1:<port>}
 */
public record RunningService(String clusterArn, String serviceArn, String taskDefinitionArn, URI url) {
}
