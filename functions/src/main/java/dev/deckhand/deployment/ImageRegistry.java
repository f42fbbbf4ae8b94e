package dev.deckhand.deployment;

import java.time.Instant;
import java.util.Optional;

/** What Deckhand asks the image registry (ECR) about an image it deploys or rolls back to. */
@FunctionalInterface
public interface ImageRegistry {

    /** When the registry received the image; empty when the repository no longer holds it (deleted, expired). */
    Optional<Instant> pushedAt(ImageRef image);
}
