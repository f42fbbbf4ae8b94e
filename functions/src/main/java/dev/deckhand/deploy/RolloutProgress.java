package dev.deckhand.deploy;

/** The answer of "Check the rollout": {@code COMPLETED}, or {@code IN_PROGRESS} with what ECS reports. */
public record RolloutProgress(String status, String progress) {
}
