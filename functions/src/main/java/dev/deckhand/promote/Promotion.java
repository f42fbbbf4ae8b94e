package dev.deckhand.promote;

/** A promotion that started: what the API answers with 202. */
public record Promotion(String deploymentId, String executionArn, String image) {
}
