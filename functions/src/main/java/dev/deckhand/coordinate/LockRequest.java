package dev.deckhand.coordinate;

import java.time.Instant;

/**
 * An execution's request for a target's lock. Requests are ordered by {@code requestedAt} (when
 * the push reached ECR, or the promotion or rerun was asked for: never when the execution started),
 * then by deployment id (its digest, so two pushes of the same instant are ordered the same way
 * by every party), then by execution ARN.
 */
public record LockRequest(String executionArn, String deploymentId, Instant requestedAt) {

    public boolean isNewerThan(LockRequest other) {
        int byTime = requestedAt.compareTo(other.requestedAt);
        if (byTime != 0) {
            return byTime > 0;
        }
        int byDeployment = deploymentId.compareTo(other.deploymentId);
        return byDeployment != 0 ? byDeployment > 0 : executionArn.compareTo(other.executionArn) > 0;
    }
}
