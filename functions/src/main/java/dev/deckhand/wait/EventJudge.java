package dev.deckhand.wait;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Judges a final ECS event for the work a wait was stored with: the verdict is what the waiting
 * state receives (SendTaskSuccess's output). Implemented beside each judge (the rollout's, the
 * migration's), so the router stays free of what it routes.
 */
@FunctionalInterface
public interface EventJudge {

    /**
     * @param started what the waiting state started (its step's result), as stored with the wait
     * @param detail the {@code detail} of the ECS event
     * @return the verdict (JSON): it says {@code status}, and carries {@code started} back to the definition
     */
    String verdict(JsonNode started, JsonNode detail);
}
