package dev.deckhand.history;

import java.time.Instant;

/**
 * The revision Deckhand last verified healthy for a service environment: the rollback target.
 *
 * @param ecsService the ECS service it was verified on, {@code <cluster>/<service>}: an
 *     environment moved to another ECS service is never rolled back to a revision of the old one
 */
public record VerifiedRevision(String deploymentId, String taskDefinition, String image, Instant verifiedAt,
        String ecsService) {

    public static String ecsService(String cluster, String service) {
        return cluster + "/" + service;
    }

    /** Whether it was verified on this ECS service. */
    public boolean verifiedOn(String cluster, String service) {
        return ecsService(cluster, service).equals(ecsService);
    }
}
