package dev.deckhand.local;

import dev.deckhand.local.aws.EventPublisher;

/**
 * What a service plugged into the local cloud may need to know: where it runs and where to put
 * the events AWS would emit.
 */
public record CloudContext(String region, String account, EventPublisher events) {
}
