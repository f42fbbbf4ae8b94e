package dev.deckhand.deploy;

/** Where Deckhand's ECS deployment stands, judged by {@link RolloutVerdict}. */
public sealed interface RolloutStatus {

    /** Still rolling out; poll again. */
    record InProgress(String progress) implements RolloutStatus {
    }

    /** Deckhand's deployment reached COMPLETED and its revision is the PRIMARY one. */
    record Completed() implements RolloutStatus {
    }

    /**
     * The rollout did not reach a steady state with Deckhand's revision.
     *
     * @param rolledBackByEcs ECS's circuit breaker already rolled the service back; the service is
     *     steady, but on an older revision, which is a failure, never a success
     */
    record Failed(String reason, boolean rolledBackByEcs) implements RolloutStatus {
    }
}
