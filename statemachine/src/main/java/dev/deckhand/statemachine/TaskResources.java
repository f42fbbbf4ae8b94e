package dev.deckhand.statemachine;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which {@link TaskResource} serves which Resource ARN. A resource registered without a suffix
 * also serves its {@code .sync}, {@code .sync:2} and {@code .waitForTaskToken} variants unless
 * those are registered on their own.
 */
public final class TaskResources {

    private final Map<String, TaskResource> resources = new ConcurrentHashMap<>();

    /** Registers (or replaces) the handler of a Resource ARN; returns {@code this}. */
    public TaskResources register(String resourceArn, TaskResource resource) {
        resources.put(resourceArn, resource);
        return this;
    }

    /** The handler for a Resource ARN, exact match first, then without its integration-pattern suffix. */
    public Optional<TaskResource> find(String resourceArn) {
        TaskResource exact = resources.get(resourceArn);
        if (exact != null) {
            return Optional.of(exact);
        }
        return Optional.ofNullable(resources.get(IntegrationPattern.of(resourceArn).baseResource()));
    }
}
