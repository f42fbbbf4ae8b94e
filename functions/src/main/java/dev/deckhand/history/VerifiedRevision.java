package dev.deckhand.history;

import java.time.Instant;

/** The revision Deckhand last verified healthy for a service environment: the rollback target. */
public record VerifiedRevision(String deploymentId, String taskDefinition, String image, Instant verifiedAt) {
}
