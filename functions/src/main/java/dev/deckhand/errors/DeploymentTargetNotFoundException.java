package dev.deckhand.errors;

/** The configured ECS cluster, service or task definition does not exist; never retried. */
public final class DeploymentTargetNotFoundException extends DeckhandException {

    public DeploymentTargetNotFoundException(String message) {
        super(message);
    }
}
