package dev.deckhand.coordinate;

import java.time.Instant;

/**
 * An execution's request for a target's lock. Requests are ordered by {@code requestedAt} (the
 * execution's start time) and then by execution ARN, so every party agrees which is newest.
 */
public record LockRequest(String executionArn, String deploymentId, Instant requestedAt) {

    public boolean isNewerThan(LockRequest other) {
        int byTime = requestedAt.compareTo(other.requestedAt);
        return byTime != 0 ? byTime > 0 : executionArn.compareTo(other.executionArn) > 0;
    }
}
