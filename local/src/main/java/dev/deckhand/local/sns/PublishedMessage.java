package dev.deckhand.local.sns;

import java.util.Map;
import java.util.Optional;

/**
 * A message published to a local SNS topic, as a test or the demo reads it.
 *
 * @param attributes message attribute names to their string (or base64 binary) values
 */
public record PublishedMessage(String messageId, String topicArn, Optional<String> subject, String message,
        Map<String, String> attributes) {
}
