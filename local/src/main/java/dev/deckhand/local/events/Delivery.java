package dev.deckhand.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One matched event handed to one rule target.
 *
 * @param outcome {@code DELIVERED}, {@code FAILED} (the target threw; see {@code error}) or
 *     {@code NO_TARGET} (no {@link EventTarget} is registered for the ARN)
 */
public record Delivery(String ruleName, String targetId, String targetArn, JsonNode event, JsonNode input,
        Outcome outcome, Optional<String> error) {

    public enum Outcome { DELIVERED, FAILED, NO_TARGET }
}
