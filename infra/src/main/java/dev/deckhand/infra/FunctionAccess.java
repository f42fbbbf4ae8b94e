package dev.deckhand.infra;

/**
 * What a function may touch beyond its own log group and X-Ray. {@link DeckhandStack} turns each
 * into scoped IAM statements on the function's own role and into the environment variables (named
 * by {@code dev.deckhand.aws.Environment}) that tell the handler where the resource is.
 */
public enum FunctionAccess {
    /** Read the configuration parameter ({@code DECKHAND_CONFIG_PARAMETER}). */
    CONFIGURATION,
    /** Read single history items ({@code DECKHAND_HISTORY_TABLE}). */
    HISTORY_READ,
    /** Query a target's history through the {@code byTarget} index ({@code DECKHAND_HISTORY_TABLE}). */
    HISTORY_LIST,
    /** Write history items, also in transactions ({@code DECKHAND_HISTORY_TABLE}). */
    HISTORY_WRITE,
    /** Read and write the locks table ({@code DECKHAND_LOCKS_TABLE}). */
    LOCKS,
    /**
     * Report outcomes: publish to the topic ({@code DECKHAND_TOPIC_ARN}), put events with source
     * {@code deckhand} on the default bus ({@code DECKHAND_EVENT_BUS}), read the configured Slack
     * webhook secrets.
     */
    NOTIFY,
    /**
     * Prepare, update and watch the configured ECS services: register tagged task definitions,
     * pass the configured task roles, list and describe the tasks of their clusters.
     */
    ECS_DEPLOY,
    /** Run, describe and stop one-off migration tasks on the configured clusters, pass their roles. */
    ECS_MIGRATE,
    /**
     * Point the configured ECS services back at a task definition they ran before, registering an
     * equivalent (tagged) revision when that one was deregistered, with the configured task roles.
     */
    ECS_ROLLBACK,
    /** Describe the images of the configured ECR repositories (when an image was pushed, whether it still exists). */
    ECR_IMAGES,
    /** Start executions of the deployer state machine ({@code DECKHAND_STATE_MACHINE_ARN}). */
    START_DEPLOYMENT
}
