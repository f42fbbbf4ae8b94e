package dev.deckhand.plan;

import dev.deckhand.deployment.DeploymentId;

/** What a plan needs from ECS: read-only. Implemented over the SDK in {@code dev.deckhand.aws}. */
@FunctionalInterface
public interface RevisionPreviews {

    /**
     * The revision "Prepare the release" would register for this image, without registering it.
     *
     * @param container the configured container, or {@code null} when the task has exactly one
     */
    RevisionPreview preview(String cluster, String service, String container, String imageUri, DeploymentId deploymentId);
}
