package dev.deckhand.local.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where local services put the events AWS would emit to the default EventBridge bus (ECR image
 * actions, ECS state changes, Step Functions status changes). The event is the full envelope
 * ({@code version, id, detail-type, source, account, time, region, resources, detail}) exactly
 * as EventBridge delivers it to a rule's target.
 */
@FunctionalInterface
public interface EventPublisher {
    void publish(ObjectNode event);
}
