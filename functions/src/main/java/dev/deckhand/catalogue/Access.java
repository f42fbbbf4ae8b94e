package dev.deckhand.catalogue;

import static dev.deckhand.catalogue.Grant.allow;

import dev.deckhand.aws.EventBridgeChannel;
import dev.deckhand.aws.Environment;
import java.util.List;
import java.util.Map;

/**
 * What a function may touch beyond its own log group and X-Ray: the permissions it needs and the
 * environment variables (named by {@link Environment}) that tell its handler where the resources
 * are.
 */
public enum Access {
    /** Read the configuration parameter. */
    CONFIGURATION(List.of(Environment.CONFIG_PARAMETER),
            List.of(allow(Resource.CONFIG_PARAMETER, "ssm:GetParameter"))),
    // Item-level actions only: no Scan, no batch operations, nothing on streams or the table itself.
    /** Read single history items. */
    HISTORY_READ(List.of(Environment.HISTORY_TABLE), List.of(allow(Resource.HISTORY_TABLE, "dynamodb:GetItem"))),
    /** Query a target's history through the {@code byTarget} index. */
    HISTORY_LIST(List.of(Environment.HISTORY_TABLE),
            List.of(allow(Resource.HISTORY_BY_TARGET_INDEX, "dynamodb:Query"))),
    /**
     * Write history items, also in transactions: a transaction's Put needs PutItem on the table,
     * like a single Put (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html).
     */
    HISTORY_WRITE(List.of(Environment.HISTORY_TABLE),
            List.of(allow(Resource.HISTORY_TABLE, "dynamodb:PutItem", "dynamodb:UpdateItem"))),
    /**
     * Claim a deployment: the claim is one transaction of Puts, and a transaction's Put needs
     * PutItem on the table (transaction-apis-iam); nothing is updated in place.
     */
    HISTORY_CLAIM(List.of(Environment.HISTORY_TABLE), List.of(allow(Resource.HISTORY_TABLE, "dynamodb:PutItem"))),
    /** Read and write the locks table. */
    LOCKS(List.of(Environment.LOCKS_TABLE), List.of(allow(Resource.LOCKS_TABLE,
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"))),
    /** Read which deployment waits for approval on a lock (the approval API): GetItem only. */
    LOCKS_READ(List.of(Environment.LOCKS_TABLE), List.of(allow(Resource.LOCKS_TABLE, "dynamodb:GetItem"))),
    /** Find and release a dead execution's lock: it never takes one, so no PutItem. */
    LOCKS_RELEASE(List.of(Environment.LOCKS_TABLE), List.of(allow(Resource.LOCKS_TABLE,
            "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"))),
    /** Store, find and forget waits: single-item writes only (UpdateItem returns the item, DeleteItem forgets it). */
    WAITS(List.of(Environment.WAITS_TABLE), List.of(allow(Resource.WAITS_TABLE,
            "dynamodb:UpdateItem", "dynamodb:DeleteItem"))),
    /**
     * Find what an execution's wait was stored with (the heartbeat path of a starting step): a
     * Query on the index by execution, authorized on the index's ARN (specifying-conditions).
     */
    WAITS_FIND(List.of(Environment.WAITS_TABLE), List.of(allow(Resource.WAITS_BY_EXECUTION_INDEX, "dynamodb:Query"))),
    /**
     * Forget a dead execution's waits: find them in the index by execution (a Query on an index
     * is authorized on the index's ARN, "Using IAM policy conditions for fine-grained access
     * control", specifying-conditions), delete each while it still holds that token.
     */
    WAITS_FORGET(List.of(Environment.WAITS_TABLE), List.of(
            allow(Resource.WAITS_BY_EXECUTION_INDEX, "dynamodb:Query"),
            allow(Resource.WAITS_TABLE, "dynamodb:DeleteItem"))),
    /**
     * Keep the lifecycle hook's FAILED answers beside the waits (ECS keeps only the hook's status):
     * UpdateItem only, which creates or replaces the one item (API_UpdateItem). The waits table
     * rather than the history, whose records no prober should be able to change; its TTL forgets them.
     */
    HOOK_ANSWERS_KEEP(List.of(Environment.WAITS_TABLE), List.of(allow(Resource.WAITS_TABLE, "dynamodb:UpdateItem"))),
    /** Read the hook's answer on a revision ECS rolled back ("Check the rollout"): GetItem only. */
    HOOK_ANSWERS_READ(List.of(Environment.WAITS_TABLE), List.of(allow(Resource.WAITS_TABLE, "dynamodb:GetItem"))),
    /** Read the ad-hoc freezes (the lock and promotions meet them): GetItem only. */
    FREEZES_READ(List.of(Environment.FREEZES_TABLE), List.of(allow(Resource.FREEZES_TABLE, "dynamodb:GetItem"))),
    /** Declare, end and show ad-hoc freezes (the API): single items only, no Scan. */
    FREEZES_WRITE(List.of(Environment.FREEZES_TABLE), List.of(allow(Resource.FREEZES_TABLE,
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"))),
    /**
     * Wake the deployer's waiting tasks (wait-router from ECS's events, coordinate and lock-cleanup
     * when a lock is released, the API with a person's answer to "Wait for approval"):
     * SendTaskSuccess, scoped to the deployer state machine as the CDK's own
     * StateMachine.grantTaskResponse scopes it. A rejection is a SendTaskSuccess with the decision
     * too (API_SendTaskSuccess: the output is any JSON), so no SendTaskFailure is granted.
     */
    WAKE_DEPLOYER(List.of(), List.of(allow(Resource.DEPLOYER_STATE_MACHINE, "states:SendTaskSuccess"))),
    /**
     * Report outcomes: publish to the encrypted topic (which needs the key's GenerateDataKey and
     * Decrypt, https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html), put events on the
     * default bus only with Deckhand's own source, so the role cannot impersonate another
     * application's events (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html#eb-events-source-example),
     * read the configured Slack webhook and GitHub token secrets.
     */
    NOTIFY(List.of(Environment.TOPIC_ARN, Environment.EVENT_BUS), List.of(
            allow(Resource.TOPIC, "sns:Publish"),
            allow(Resource.TOPIC_KEY, "kms:Decrypt", "kms:GenerateDataKey"),
            new Grant(List.of("events:PutEvents"), Resource.DEFAULT_EVENT_BUS,
                    Map.of("StringEquals", Map.of("events:source", EventBridgeChannel.SOURCE))),
            allow(Resource.SLACK_WEBHOOK_SECRETS, "secretsmanager:GetSecretValue"),
            allow(Resource.GITHUB_TOKEN_SECRETS, "secretsmanager:GetSecretValue"))),
    /**
     * Prepare, update and watch the configured ECS services: register tagged task definitions,
     * pass the configured task roles, list and describe the tasks of their clusters.
     */
    ECS_DEPLOY(List.of(), List.of(new Grant(List.of(), Resource.CONFIGURED_ECS, Map.of()))),
    /** Run, describe and stop one-off migration tasks on the configured clusters, pass their roles. */
    ECS_MIGRATE(List.of(), List.of(new Grant(List.of(), Resource.CONFIGURED_ECS, Map.of()))),
    /**
     * Point the configured ECS services back at a task definition they ran before, registering an
     * equivalent (tagged) revision when that one was deregistered, with the configured task roles.
     */
    ECS_ROLLBACK(List.of(), List.of(new Grant(List.of(), Resource.CONFIGURED_ECS, Map.of()))),
    /**
     * Clean up a family after a success: list its revisions, read their tags, describe the
     * configured services (what runs), deregister the surplus revisions Deckhand registered.
     */
    ECS_CLEANUP(List.of(), List.of(new Grant(List.of(), Resource.CONFIGURED_ECS, Map.of()))),
    /**
     * Assume the deployment role of each cross-account environment, which holds that account's
     * share of ECS_DEPLOY, ECS_MIGRATE and ECS_ROLLBACK ({@link Policies#deploymentRole}).
     */
    ASSUME_DEPLOYMENT_ROLES(List.of(), List.of(allow(Resource.DEPLOYMENT_ROLES, "sts:AssumeRole"))),
    /**
     * Assume the deployment role only of the cross-account environments that run a migration: the
     * migration function acts nowhere else, so it may not borrow another environment's role.
     */
    ASSUME_MIGRATION_ROLES(List.of(), List.of(allow(Resource.MIGRATION_DEPLOYMENT_ROLES, "sts:AssumeRole"))),
    /** Describe the images of the configured ECR repositories (when an image was pushed, whether it still exists). */
    ECR_IMAGES(List.of(), List.of(allow(Resource.CONFIGURED_ECR_REPOSITORIES, "ecr:DescribeImages"))),
    /**
     * Read the state of the alarms the environments' gates name. Service Authorization Reference for
     * Amazon CloudWatch (list_amazoncloudwatch): DescribeAlarms takes the {@code alarm} resource type,
     * {@code arn:${Partition}:cloudwatch:${Region}:${Account}:alarm:${AlarmName}}.
     */
    ALARMS_READ(List.of(), List.of(allow(Resource.GATE_ALARMS, "cloudwatch:DescribeAlarms"))),
    /**
     * Name Deckhand's lifecycle hook in UpdateService: pass the role ECS assumes to invoke it, only
     * to ECS (blue-green-permissions: the role trusts ecs.amazonaws.com; Service Authorization
     * Reference for Amazon ECS, list_ecs: iam:PassRole with iam:PassedToService).
     */
    PASS_HOOK_ROLE(List.of(Environment.HOOK_FUNCTION_ARN, Environment.HOOK_ROLE_ARN),
            List.of(new Grant(List.of("iam:PassRole"), Resource.HOOK_INVOKE_ROLE,
                    Map.of("StringEquals", Map.of("iam:PassedToService", Policies.ECS_PRINCIPAL))))),
    /** Start executions of the deployer state machine. */
    START_DEPLOYMENT(List.of(Environment.STATE_MACHINE_ARN),
            List.of(allow(Resource.DEPLOYER_STATE_MACHINE, "states:StartExecution")));

    private final List<String> environment;
    private final List<Grant> permissions;

    Access(List<String> environment, List<Grant> permissions) {
        this.environment = environment;
        this.permissions = permissions;
    }

    /** The environment variables (names in {@link Environment}) that locate what this access reaches. */
    public List<String> environment() {
        return environment;
    }

    /**
     * The permissions; for {@link Resource#CONFIGURED_ECS} the actions are empty and the renderer
     * derives them from the configuration (which clusters, services and roles it names).
     */
    public List<Grant> permissions() {
        return permissions;
    }
}
