package dev.deckhand.local.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Something a rule's target ARN reaches in the local cloud: the Step Functions engine for
 * {@code arn:aws:states:}, a handler for {@code arn:aws:lambda:}. Registered on the
 * {@link EventBus} by ARN prefix.
 */
@FunctionalInterface
public interface EventTarget {

    /**
     * Delivers one matched event.
     *
     * @param targetArn the target's ARN as given to PutTargets
     * @param input the event, or what the target's Input / InputPath made of it
     * @throws Exception when delivery fails; the failure is recorded on the delivery
     */
    void deliver(String targetArn, JsonNode input) throws Exception;
}
