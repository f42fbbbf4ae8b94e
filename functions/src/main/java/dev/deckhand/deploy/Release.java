package dev.deckhand.deploy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What "Prepare the release" decided: the revision the service ran, and the one it will run.
 *
 * @param previousTaskDefinition the service's PRIMARY revision before this deployment
 * @param reused a previous attempt had registered {@code taskDefinition} already
 * @param rollbackReadiness whether a rollback would have somewhere to go, checked before the service
 *     changes ({@code "ready: …"} or {@code "not ready: …"}), or {@code null} when not checked
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Release(String previousTaskDefinition, String taskDefinition, String container, boolean reused,
        String rollbackReadiness) {

    public Release(String previousTaskDefinition, String taskDefinition, String container, boolean reused) {
        this(previousTaskDefinition, taskDefinition, container, reused, null);
    }
}
