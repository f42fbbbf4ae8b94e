package dev.deckhand.infra;

import dev.deckhand.aws.Environment;
import dev.deckhand.events.EcrPushPattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.CfnKey;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * Deckhand in one AWS account and region. The constructor is the table of contents: the
 * configuration parameter, the tables, the notification topic, the handlers, the deployer state
 * machine, the push trigger, the promote API (once its handler exists) and the operations view.
 */
public final class DeckhandStack extends Stack {

    /** Substitution: the deployment history table's name. */
    public static final String HISTORY_TABLE = "HistoryTableName";
    /** Substitution: the locks/idempotency table's name. */
    public static final String LOCKS_TABLE = "LocksTableName";
    /** Substitution: the notification topic's ARN. */
    public static final String TOPIC = "NotificationTopicArn";
    /** Promote handler's environment: the deployer state machine's ARN. */
    public static final String DEPLOYER_ARN_VARIABLE = "DECKHAND_DEPLOYER_ARN";
    /** Promote handler's environment: the deployment history table's name. */
    public static final String HISTORY_TABLE_VARIABLE = "DECKHAND_HISTORY_TABLE";
    /** Lock release handler's environment: the locks table's name. */
    public static final String LOCKS_TABLE_VARIABLE = "DECKHAND_LOCKS_TABLE";

    /**
     * What the account may do with the topic key: administer it, and let IAM policies grant
     * encryption to the functions that publish (in a key policy, {@code Resource "*"} is this key).
     */
    static final List<String> KEY_ACCOUNT_ACTIONS = List.of(
            "kms:CancelKeyDeletion", "kms:Decrypt", "kms:DescribeKey", "kms:DisableKey", "kms:DisableKeyRotation",
            "kms:EnableKey", "kms:EnableKeyRotation", "kms:GenerateDataKey", "kms:GetKeyPolicy",
            "kms:GetKeyRotationStatus", "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListResourceTags",
            "kms:PutKeyPolicy", "kms:RevokeGrant", "kms:ScheduleKeyDeletion", "kms:TagResource",
            "kms:UntagResource", "kms:UpdateKeyDescription");

    private final ConfigurationParameter configuration;
    private final Table history;
    private final Table locks;
    private final IKey topicKey;
    private final Topic topic;
    private final List<DeckhandFunction> functions;
    private final StateMachine deployer;
    private final PushTrigger trigger;
    private final DeckhandFunction promoteFunction;
    private final PromoteApi promoteApi;
    private final DeckhandFunction lockRelease;

    /**
     * @param id the stack's name; also names the configuration parameter {@code /deckhand/<id>/configuration}
     * @throws SynthesisException if the definition is missing or uses an unknown substitution, or the
     *     configuration is too large for SSM
     */
    public DeckhandStack(Construct scope, String id, StackProps props, DeckhandSettings settings) {
        super(scope, id, props);
        this.configuration = new ConfigurationParameter(this, "Configuration",
                "/deckhand/" + id + "/configuration", settings.configurationText());
        this.history = historyTable();
        this.locks = locksTable();
        this.topicKey = topicKey();
        this.topic = notificationTopic();

        Code code = Code.fromAsset(settings.functionsJar().toString());
        Map<String, String> environment = Map.of(
                Environment.CONFIG_PARAMETER, configuration.parameter().getParameterName());
        this.functions = settings.functions().stream()
                .map(spec -> new DeckhandFunction(this, spec, code, environment))
                .toList();
        this.deployer = deployer(settings);
        this.trigger = new PushTrigger(this, "PushTrigger",
                EcrPushPattern.forConfiguration(settings.configuration()), deployer);
        this.promoteFunction = settings.promoteHandler() == null ? null : promoteFunction(settings, code, environment);
        this.promoteApi = promoteFunction == null ? null : new PromoteApi(this, "PromoteApi", promoteFunction);
        this.lockRelease = settings.lockReleaseHandler() == null ? null
                : lockRelease(settings.lockReleaseHandler(), code, environment);

        EcsPermissions ecs = EcsPermissions.forConfiguration(settings.configuration());
        allFunctions().forEach(function -> grantAccess(function, ecs, settings));
        new Operations(this, "Operations", deployer, topic, trigger.deadLetters(), allFunctions(),
                settings.configuration());
    }

    public StateMachine deployer() {
        return deployer;
    }

    public List<DeckhandFunction> functions() {
        return functions;
    }

    public Table history() {
        return history;
    }

    public Table locks() {
        return locks;
    }

    public Topic topic() {
        return topic;
    }

    public PushTrigger trigger() {
        return trigger;
    }

    /** The promote API, or {@code null} when no promote handler is configured. */
    public PromoteApi promoteApi() {
        return promoteApi;
    }

    /** Every substitution the definition may use: each function's alias ARN, the tables, the topic. */
    public Map<String, String> substitutions() {
        Map<String, String> substitutions = new LinkedHashMap<>();
        functions.forEach(function -> substitutions.put(function.spec().substitution(),
                function.alias().getFunctionArn()));
        substitutions.put(HISTORY_TABLE, history.getTableName());
        substitutions.put(LOCKS_TABLE, locks.getTableName());
        substitutions.put(TOPIC, topic.getTopicArn());
        return substitutions;
    }

    private Table historyTable() {
        // One record per deployment and its steps: pk/sk leaves the access patterns to the handlers.
        return Table.Builder.create(this, "History")
                .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("sk").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.AWS_MANAGED)
                .pointInTimeRecoverySpecification(pitr())
                // Only items that carry the attribute expire (e.g. per-probe details); records without it stay.
                .timeToLiveAttribute("expiresAt")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    private Table locksTable() {
        // Key and TTL attribute are Powertools idempotency's defaults ("id", "expiration"), so one table
        // serves the deployment locks and the idempotency records.
        return Table.Builder.create(this, "Locks")
                .partitionKey(Attribute.builder().name("id").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.AWS_MANAGED)
                .pointInTimeRecoverySpecification(pitr())
                .timeToLiveAttribute("expiration")
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
    }

    private static PointInTimeRecoverySpecification pitr() {
        return PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build();
    }

    /**
     * A customer managed key: CloudWatch alarms cannot publish to a topic encrypted with the AWS
     * managed SNS key, whose policy cannot be changed
     * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
     * Its policy names every action (CDK's default key policy grants the account {@code kms:*}).
     */
    private IKey topicKey() {
        PolicyDocument policy = PolicyDocument.Builder.create().statements(List.of(
                PolicyStatement.Builder.create()
                        .sid("AccountAdministersAndDelegatesToIam")
                        .effect(Effect.ALLOW)
                        .principals(List.of(new AccountRootPrincipal()))
                        .actions(KEY_ACCOUNT_ACTIONS)
                        .resources(List.of("*"))
                        .build(),
                PolicyStatement.Builder.create()
                        .sid("CloudWatchAlarmsPublish")
                        .effect(Effect.ALLOW)
                        .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                        .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
                        .resources(List.of("*"))
                        .build())).build();
        CfnKey key = CfnKey.Builder.create(this, "TopicKey")
                .description("Encrypts the Deckhand notification topic")
                .enableKeyRotation(true)
                .keyPolicy(policy)
                .build();
        key.applyRemovalPolicy(RemovalPolicy.DESTROY);
        return Key.fromKeyArn(this, "TopicKeyRef", key.getAttrArn());
    }

    private Topic notificationTopic() {
        return Topic.Builder.create(this, "Notifications")
                .displayName("Deckhand deployments")
                .masterKey(topicKey)
                .enforceSsl(true)
                .build();
    }

    private StateMachine deployer(DeckhandSettings settings) {
        Map<String, String> substitutions = substitutions();
        String definition = DeployerDefinition.load(settings.definitionFile(), substitutions.keySet());
        LogGroup logs = LogGroup.Builder.create(this, "DeployerLogs")
                .retention(RetentionDays.THREE_MONTHS)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        StateMachine machine = StateMachine.Builder.create(this, "Deployer")
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromString(definition))
                .definitionSubstitutions(substitutions)
                // ALL with execution data: a deployment is a handful of transitions, and its inputs and
                // outputs (digests, revisions, probe verdicts) are what people need when it goes wrong.
                // No secret is ever part of state (webhook URLs stay in Secrets Manager).
                .logs(LogOptions.builder().destination(logs).level(LogLevel.ALL).includeExecutionData(true).build())
                .tracingEnabled(true)
                .build();
        // A definition read from a file gives CDK nothing to infer: grant each function explicitly,
        // on its published alias only.
        machine.addToRolePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("lambda:InvokeFunction"))
                .resources(functions.stream().map(function -> function.alias().getFunctionArn()).toList())
                .build());
        AcceptedFindings.deployer(machine);
        return machine;
    }

    private void grantAccess(DeckhandFunction function, EcsPermissions ecs, DeckhandSettings settings) {
        configuration.parameter().grantRead(function.role());
        function.spec().access().forEach(access -> grant(function, access, ecs, settings));
    }

    private void grant(DeckhandFunction function, FunctionAccess access, EcsPermissions ecs, DeckhandSettings settings) {
        switch (access) {
            // Item-level actions only: no Scan, no batch writes, nothing on streams or the table itself.
            case HISTORY_READ -> history.grant(function.role(), "dynamodb:GetItem", "dynamodb:Query");
            case HISTORY_WRITE -> history.grant(function.role(),
                    "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem");
            case LOCKS -> locks.grant(function.role(),
                    "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem");
            case NOTIFY -> {
                publish(function);
                SlackSecretPermissions.forConfiguration(settings.configuration()).ifPresent(function.role()::addToPolicy);
            }
            case ECS_DEPLOY -> {
                ecs.deploy().forEach(function.role()::addToPolicy);
                AcceptedFindings.ecsDeploy(function);
            }
            case ECS_MIGRATE -> {
                ecs.migrate().forEach(function.role()::addToPolicy);
                AcceptedFindings.ecsMigrate(function, ecs.migrationClusters());
            }
            case START_DEPLOYMENT -> deployer.grantStartExecution(function.role());
            default -> throw new IllegalStateException("no grant for " + access);
        }
    }

    /**
     * Publishing to an encrypted topic needs the key's GenerateDataKey and Decrypt
     * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html); named exactly, where
     * {@code topic.grantPublish} would grant the wildcard action {@code kms:GenerateDataKey*}.
     */
    private void publish(DeckhandFunction function) {
        function.role().addToPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .build());
        function.role().addToPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
                .resources(List.of(topicKey.getKeyArn()))
                .build());
    }

    private DeckhandFunction promoteFunction(DeckhandSettings settings, Code code, Map<String, String> environment) {
        FunctionSpec spec = new FunctionSpec("Promote", settings.promoteHandler(), DeployerFunctions.MEMORY_MB,
                // API Gateway gives an integration 29 seconds at most.
                Duration.seconds(29), null, Set.of(FunctionAccess.START_DEPLOYMENT, FunctionAccess.HISTORY_READ),
                "Deckhand promote API: starts promotions and answers deployment status");
        Map<String, String> variables = new LinkedHashMap<>(environment);
        variables.put(DEPLOYER_ARN_VARIABLE, deployer.getStateMachineArn());
        variables.put(HISTORY_TABLE_VARIABLE, history.getTableName());
        return new DeckhandFunction(this, spec, code, variables);
    }

    /**
     * A deployment that dies (failed, timed out, aborted) without reaching its release step would
     * hold its lock until the TTL; Step Functions reports every Standard execution's status change
     * to the default bus (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html), so a
     * rule hands those of the deployer to the lock release handler.
     */
    private DeckhandFunction lockRelease(String handler, Code code, Map<String, String> environment) {
        Map<String, String> variables = new LinkedHashMap<>(environment);
        variables.put(LOCKS_TABLE_VARIABLE, locks.getTableName());
        DeckhandFunction function = new DeckhandFunction(this, new FunctionSpec("ReleaseLock", handler,
                DeployerFunctions.MEMORY_MB, Duration.seconds(30), null, Set.of(FunctionAccess.LOCKS),
                "Deckhand: releases the lock of a deployer execution that failed, timed out or was aborted"),
                code, variables);
        Rule.Builder.create(this, "DeadExecutions")
                .description("Deckhand deployer executions that ended without releasing their lock")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.states"))
                        .detailType(List.of("Step Functions Execution Status Change"))
                        .detail(Map.of(
                                "status", List.of("FAILED", "TIMED_OUT", "ABORTED"),
                                "stateMachineArn", List.of(deployer.getStateMachineArn())))
                        .build())
                .targets(List.of(LambdaFunction.Builder.create(function.alias())
                        .retryAttempts(PushTrigger.RETRY_ATTEMPTS)
                        .maxEventAge(PushTrigger.MAX_EVENT_AGE)
                        .deadLetterQueue(trigger.deadLetters())
                        .build()))
                .build();
        return function;
    }

    private List<DeckhandFunction> allFunctions() {
        List<DeckhandFunction> all = new ArrayList<>(functions);
        if (promoteFunction != null) {
            all.add(promoteFunction);
        }
        if (lockRelease != null) {
            all.add(lockRelease);
        }
        return all;
    }
}
