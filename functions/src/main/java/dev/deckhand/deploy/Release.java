package dev.deckhand.deploy;

/**
 * What "Prepare the release" decided: the revision the service ran, and the one it will run.
 *
 * @param previousTaskDefinition the service's PRIMARY revision before this deployment
 * @param reused a previous attempt had registered {@code taskDefinition} already
 */
public record Release(String previousTaskDefinition, String taskDefinition, String container, boolean reused) {
}
