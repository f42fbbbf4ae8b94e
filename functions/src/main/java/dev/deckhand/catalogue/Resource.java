package dev.deckhand.catalogue;

/**
 * A resource a Deckhand function may touch, named for what it is to Deckhand. Where policies are
 * rendered ({@link ResourceNames}: the CDK app, the local cloud) knows each one's ARN.
 */
public enum Resource {
    /** The SSM parameter holding {@code deckhand.yml}. */
    CONFIG_PARAMETER,
    /** The history table. */
    HISTORY_TABLE,
    /** The history table's {@link Tables#BY_TARGET} index. */
    HISTORY_BY_TARGET_INDEX,
    /** The locks table. */
    LOCKS_TABLE,
    /** The waits table. */
    WAITS_TABLE,
    /** The ad-hoc freezes table. */
    FREEZES_TABLE,
    /** The waits table's index by execution ({@code DynamoDbWaits.BY_EXECUTION}). */
    WAITS_BY_EXECUTION_INDEX,
    /** The outcome topic. */
    TOPIC,
    /** The KMS key that encrypts the outcome topic. */
    TOPIC_KEY,
    /** The default event bus. */
    DEFAULT_EVENT_BUS,
    /** The Slack webhook secrets the configuration names (none, when it names none). */
    SLACK_WEBHOOK_SECRETS,
    /** The GitHub token secrets the configuration names (none, when it names none). */
    GITHUB_TOKEN_SECRETS,
    /** The deployer state machine. */
    DEPLOYER_STATE_MACHINE,
    /**
     * The ECS services, clusters, task definitions and task roles the configuration names: the
     * statements depend on the configuration, so the renderer derives them from it.
     */
    CONFIGURED_ECS,
    /** The CloudWatch alarms the environments' alarm gates name (none, when no environment has a gate). */
    GATE_ALARMS,
    /** The deployment roles of the cross-account environments the configuration names (none, when it names none). */
    DEPLOYMENT_ROLES,
    /** The deployment roles of the cross-account environments that run a migration (none, when none does). */
    MIGRATION_DEPLOYMENT_ROLES,
    /** The ECR repositories the configuration names. */
    CONFIGURED_ECR_REPOSITORIES,
    /**
     * The role ECS assumes to invoke the lifecycle-hook function (none, when no environment
     * deploys with a traffic-shifting strategy and a health check).
     */
    HOOK_INVOKE_ROLE
}
