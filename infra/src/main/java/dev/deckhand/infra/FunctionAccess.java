package dev.deckhand.infra;

/**
 * What a function may touch beyond its own log group and the configuration parameter, which
 * every function reads. {@link DeckhandStack} turns each into scoped IAM statements on the
 * function's own role.
 */
public enum FunctionAccess {
    /** Read the deployment history table. */
    HISTORY_READ,
    /** Read and write the deployment history table. */
    HISTORY_WRITE,
    /** Read and write the locks/idempotency table. */
    LOCKS,
    /** Publish to the notification topic and read the configured Slack webhook secrets. */
    NOTIFY,
    /** Describe and update the configured ECS services, register task definitions, pass their roles. */
    ECS_DEPLOY,
    /** Run, describe and stop one-off migration tasks on the configured clusters, pass their roles. */
    ECS_MIGRATE,
    /** Start executions of the deployer state machine (the promote API). */
    START_DEPLOYMENT
}
