package dev.deckhand.infra;

import dev.deckhand.aws.Environment;
import dev.deckhand.catalogue.Access;
import dev.deckhand.catalogue.Policies;
import dev.deckhand.catalogue.Resource;
import dev.deckhand.catalogue.Tables;
import dev.deckhand.catalogue.Tables.TableDefinition;
import dev.deckhand.events.DeadExecutionPattern;
import dev.deckhand.events.EcrPushPattern;
import dev.deckhand.events.EcsEventPatterns;
import dev.deckhand.catalogue.DeployerFunction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.events.CfnEventBusPolicy;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.CfnKey;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.Permission;
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
 * configuration parameter, the tables, the notification topic, the deployer's step functions,
 * the deployer state machine, the push trigger, the lock cleanup of dead executions, the promote
 * API, every function's access, and the operations view.
 */
public final class DeckhandStack extends Stack {

    /**
     * The locks table's TTL attribute: {@code DynamoDbDeploymentLocks} writes it (epoch seconds) on
     * the {@code EXECUTION#} items, which would otherwise outlive an execution the cleanup missed.
     */
    static final String LOCKS_EXPIRY_ATTRIBUTE = Tables.LOCKS.timeToLive();
    /** The bus outcome events go to: the account's default bus, where rules of other teams can see them. */
    static final String EVENT_BUS = "default";

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

    private final DeckhandSettings settings;
    private final Code code;
    private final ConfigurationParameter configuration;
    private final Table history;
    private final Table locks;
    private final Table waits;
    private final Table freezes;
    /** AWS::Events::EventBusPolicy StatementId: 1 to 64 of [a-zA-Z0-9-_] (its CloudFormation resource schema). */
    private static final int STATEMENT_ID_MAX = 64;
    private final List<CfnRule> ecsEventRules;
    private final IKey topicKey;
    private final Topic topic;
    private final List<DeckhandFunction> steps;
    private final StateMachine deployer;
    private final PushTrigger trigger;
    private final DeckhandFunction lockCleanup;
    private final CfnRule deadExecutions;
    private final DeckhandFunction deploymentApi;
    private final DeckhandFunction lifecycleHook;
    private final Role hookInvokeRole;
    private final PromoteApi promoteApi;

    /**
     * @param id the stack's name; also names the configuration parameter {@code /deckhand/<id>/configuration}
     * @throws SynthesisException if the definition is missing, is not JSON, uses an unknown substitution or
     *     waits less for a step than its function may run, or the configuration is too large for SSM
     */
    public DeckhandStack(Construct scope, String id, StackProps props, DeckhandSettings settings) {
        super(scope, id, props);
        this.settings = settings;
        this.code = Code.fromAsset(settings.functionsJar().toString());
        this.configuration = new ConfigurationParameter(this, "Configuration",
                Environment.configurationParameterName(id), settings.configurationText());
        this.history = table(Tables.HISTORY);
        this.locks = table(Tables.LOCKS);
        this.waits = table(Tables.WAITS);
        this.freezes = table(Tables.FREEZES);
        this.topicKey = topicKey();
        this.topic = notificationTopic();
        // Before the steps: deploy and rollback name the hook and its invoke role in UpdateService.
        this.lifecycleHook = function(DeployerFunctions.lifecycleHook(settings.configuration()));
        this.hookInvokeRole = newHookInvokeRole();
        this.steps = settings.steps().stream().map(this::function).toList();
        this.deployer = deployerStateMachine();
        this.trigger = new PushTrigger(this, "PushTrigger",
                EcrPushPattern.forConfiguration(settings.configuration()), deployer);
        this.lockCleanup = function(DeployerFunctions.LOCK_CLEANUP);
        this.deadExecutions = deadExecutionRule();
        this.ecsEventRules = List.of(
                ecsEventRule("EcsDeployments", "ECS service deployments that completed or failed, for the waiting deployer",
                        EcsEventPatterns.deploymentsOf(settings.configuration())),
                ecsEventRule("EcsStoppedTasks", "Deckhand's migration tasks that stopped, for the waiting deployer",
                        EcsEventPatterns.stoppedTasksOf(settings.configuration())));
        targetAccountsMayPutEvents();
        this.deploymentApi = function(DeployerFunctions.DEPLOYMENT_API);
        this.promoteApi = new PromoteApi(this, "PromoteApi", deploymentApi);

        EcsPermissions ecs = EcsPermissions.forConfiguration(settings.configuration());
        allFunctions().forEach(function -> function.spec().access().forEach(access -> grant(function, access, ecs)));
        new Operations(this, "Operations", deployer, topic, trigger.deadLetters(), allFunctions(),
                settings.configuration());
    }

    /** The deployer state machine, running the definition file. */
    public StateMachine deployer() {
        return deployer;
    }

    /** The functions the deployer's definition may invoke. */
    public List<DeckhandFunction> steps() {
        return steps;
    }

    /** Every function: the steps, the lock cleanup and the promote API's. */
    public List<DeckhandFunction> allFunctions() {
        List<DeckhandFunction> all = new ArrayList<>(steps);
        all.add(lockCleanup);
        all.add(deploymentApi);
        all.add(lifecycleHook);
        return List.copyOf(all);
    }

    /** The function ECS invokes at the lifecycle stages of blue-green, linear and canary deployments. */
    public DeckhandFunction lifecycleHook() {
        return lifecycleHook;
    }

    /** The role ECS assumes to invoke {@link #lifecycleHook()}. */
    public Role hookInvokeRole() {
        return hookInvokeRole;
    }

    /** The deployment history (DynamoDbDeploymentHistory's schema). */
    public Table history() {
        return history;
    }

    /** The per-target locks (DynamoDbDeploymentLocks' schema). */
    public Table locks() {
        return locks;
    }

    /** The encrypted topic outcomes and alarms are published to. */
    public Topic topic() {
        return topic;
    }

    /** The ECR push rule and its dead-letter queue. */
    public PushTrigger trigger() {
        return trigger;
    }

    /** The rule that hands the deployer's dead executions to the lock cleanup. */
    public CfnRule deadExecutions() {
        return deadExecutions;
    }

    /** The rules that hand ECS's deployment and task events to wait-router. */
    public List<CfnRule> ecsEventRules() {
        return ecsEventRules;
    }

    /** The ad-hoc freezes table (DynamoDbFreezes' schema). */
    public Table freezes() {
        return freezes;
    }

    /** The waits table (DynamoDbWaits' schema). */
    public Table waits() {
        return waits;
    }

    /** The promote and status API. */
    public PromoteApi promoteApi() {
        return promoteApi;
    }

    /** Every substitution a definition may use: {@code ${<Name>FunctionArn}}, each step's published alias ARN. */
    public Map<String, String> substitutions() {
        Map<String, String> substitutions = new LinkedHashMap<>();
        steps.forEach(function -> substitutions.put(function.spec().substitution(), function.alias().getFunctionArn()));
        return substitutions;
    }

    /** A table as the catalogue defines it (keys, indexes, TTL, whether it outlives the stack). */
    private Table table(TableDefinition definition) {
        Table.Builder builder = Table.Builder.create(this, definition.id())
                .partitionKey(string(definition.partitionKey()))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.AWS_MANAGED)
                .pointInTimeRecoverySpecification(pitr())
                .removalPolicy(definition.retained() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
        if (definition.sortKey() != null) {
            builder.sortKey(string(definition.sortKey()));
        }
        if (definition.timeToLive() != null) {
            builder.timeToLiveAttribute(definition.timeToLive());
        }
        Table table = builder.build();
        for (Tables.IndexDefinition index : definition.indexes()) {
            table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                    .indexName(index.name())
                    .partitionKey(string(index.partitionKey()))
                    .sortKey(string(index.sortKey()))
                    .projectionType(ProjectionType.ALL)
                    .build());
        }
        return table;
    }

    private static Attribute string(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
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

    private DeckhandFunction function(FunctionSpec spec) {
        // A function that assumes other accounts' deployment roles has a fixed role name, which they trust.
        boolean assumes = (spec.access().contains(dev.deckhand.catalogue.Access.ASSUME_DEPLOYMENT_ROLES)
                || spec.access().contains(dev.deckhand.catalogue.Access.ASSUME_MIGRATION_ROLES))
                && !Policies.targetAccounts(settings.configuration()).isEmpty();
        return new DeckhandFunction(this, spec, code, environment(spec), assumes ? TargetAccountStack.functionRoleName(
                getStackName(), java.util.Arrays.stream(dev.deckhand.catalogue.DeployerFunction.values())
                        .filter(function -> function.functionName().equals(spec.name())).findFirst().orElseThrow()) : null);
    }

    /** Where each resource a function may touch is, under the names its access gives ({@link Environment}'s). */
    private Map<String, String> environment(FunctionSpec spec) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (Access access : spec.access()) {
            for (String variable : access.environment()) {
                variables.put(variable, switch (variable) {
                    case Environment.CONFIG_PARAMETER -> configuration.parameter().getParameterName();
                    case Environment.HISTORY_TABLE -> history.getTableName();
                    case Environment.LOCKS_TABLE -> locks.getTableName();
                    case Environment.WAITS_TABLE -> waits.getTableName();
                    case Environment.FREEZES_TABLE -> freezes.getTableName();
                    case Environment.TOPIC_ARN -> topic.getTopicArn();
                    case Environment.EVENT_BUS -> EVENT_BUS;
                    case Environment.HOOK_FUNCTION_ARN -> lifecycleHook.alias().getFunctionArn();
                    case Environment.HOOK_ROLE_ARN -> hookInvokeRole.getRoleArn();
                    case Environment.STATE_MACHINE_ARN -> {
                        // The deployer's ARN is a plain reference: the promote API is not one of the definition's
                        // steps, so the state machine never depends on this function and there is no cycle.
                        if (deployer == null) {
                            throw new IllegalStateException(spec.name() + " would start the deployer that invokes it: "
                                    + "a step of the definition cannot have START_DEPLOYMENT (circular dependency)");
                        }
                        yield deployer.getStateMachineArn();
                    }
                    default -> throw new IllegalStateException("no value for " + variable);
                });
            }
        }
        return variables;
    }

    /**
     * The role ECS assumes to invoke the lifecycle hook (blue-green-permissions): trusted by
     * ecs.amazonaws.com, allowed lambda:InvokeFunction on the hook's alias and nothing else.
     */
    private Role newHookInvokeRole() {
        return Role.Builder.create(this, "LifecycleHookInvokeRole")
                .assumedBy(new ServicePrincipal(dev.deckhand.catalogue.Policies.ECS_PRINCIPAL))
                .description("Deckhand: ECS invokes the lifecycle-hook function with this role")
                .inlinePolicies(Map.of("InvokeLifecycleHook", PolicyDocument.Builder.create()
                        .statements(List.of(PolicyStatement.Builder.create().effect(Effect.ALLOW)
                                .actions(List.of("lambda:InvokeFunction"))
                                .resources(List.of(lifecycleHook.alias().getFunctionArn())).build()))
                        .build()))
                .build();
    }

    private StateMachine deployerStateMachine() {
        String definition = DeployerDefinition.load(settings.definitionFile(), substitutions().keySet());
        checkNoStepOutlivesItsState(definition);
        Set<String> used = DeployerDefinition.placeholders(definition);
        Map<String, String> substitutions = new LinkedHashMap<>(substitutions());
        substitutions.keySet().retainAll(used);
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
        // A definition read from a file gives CDK nothing to infer: grant exactly the functions it names,
        // on their published aliases only.
        machine.addToRolePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("lambda:InvokeFunction"))
                .resources(steps.stream()
                        .filter(function -> used.contains(function.spec().substitution()))
                        .map(function -> function.alias().getFunctionArn())
                        .toList())
                .build());
        AcceptedFindings.deployer(machine);
        return machine;
    }

    /**
     * A function that may run longer than the state waiting for it would be given up on mid-work,
     * and Step Functions would report {@code States.Timeout} instead of the function's own answer:
     * for the health check, every deployment of that environment would roll back. So it fails synthesis.
     */
    private void checkNoStepOutlivesItsState(String definition) {
        Map<String, DeployerDefinition.TimedState> tightest = DeployerDefinition.tightestStates(definition);
        for (DeckhandFunction step : steps) {
            DeployerDefinition.TimedState state = tightest.get(step.spec().substitution());
            long seconds = step.spec().timeout().toSeconds().longValue();
            if (state != null && seconds > state.timeoutSeconds()) {
                throw new SynthesisException("function " + step.spec().name() + " may run " + seconds
                        + " s, but the definition's state '" + state.name() + "' waits " + state.timeoutSeconds()
                        + " s for it (TimeoutSeconds)" + (step.spec().name().equals(DeployerFunctions.HEALTH_CHECK)
                                ? ": its timeout covers the longest health-check round in the configuration; lower "
                                        + "that health check's consecutiveSuccesses or timeoutSeconds"
                                : ""));
            }
        }
    }

    /**
     * A deployment that dies (failed, timed out, aborted) without reaching its release step would
     * hold its lock until the lease ends; Step Functions reports every Standard execution's status
     * change to the default bus (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html),
     * so a rule with the pattern the local cloud matches ({@link DeadExecutionPattern}) hands those of
     * the deployer to the lock cleanup, with the push rule's retries and dead-letter queue.
     */
    private CfnRule deadExecutionRule() {
        CfnRule rule = ruleInvoking(lockCleanup, "DeadExecutions", "LockCleanup",
                "Deckhand deployer executions that ended without releasing their lock",
                DeadExecutionPattern.forStateMachine(deployer.getStateMachineArn()));
        // EventBridge invokes the function asynchronously: once Lambda has accepted the event, the rule's
        // retries are over, and an event the handler keeps failing on would be dropped after Lambda's own
        // retries; it goes to the same queue instead
        // (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
        lockCleanup.alias().configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .onFailure(sendOnly(trigger.deadLetters()))
                .build());
        return rule;
    }

    /**
     * Lets exactly the configured target accounts put events on this account's default bus, where
     * their {@link TargetAccountStack} forwards their ECS events ("Sending and receiving events
     * between AWS accounts in Amazon EventBridge",
     * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html: the receiving
     * bus's resource policy allows the sending account). The ECS rules above match those events
     * too: their ARNs' account is a wildcard.
     */
    private void targetAccountsMayPutEvents() {
        for (String account : Policies.targetAccounts(settings.configuration())) {
            // The default bus's policy is the account's, shared by installations: the stack names its statements.
            String statementId = getStackName() + "-" + account;
            if (statementId.length() > STATEMENT_ID_MAX) {
                throw new SynthesisException("the event bus policy statement id '" + statementId + "' is longer than "
                        + "EventBridge's 64 characters: choose a shorter stackName for an installation with "
                        + "cross-account environments");
            }
            CfnEventBusPolicy.Builder.create(this, "EventsFrom" + account)
                    .eventBusName("default")
                    .statementId(statementId)
                    .action("events:PutEvents")
                    .principal(account)
                    .build();
        }
    }

    /**
     * A rule handing ECS's events (the pattern the local cloud matches) to wait-router, with the
     * push rule's retries and dead-letter queue. A lost event costs a waiting state at most its
     * HeartbeatSeconds, after which it looks at ECS itself.
     */
    private CfnRule ecsEventRule(String id, String description, String pattern) {
        DeckhandFunction router = steps.stream()
                .filter(step -> step.spec().name().equals(DeployerFunction.WAIT_ROUTER.functionName()))
                .findFirst().orElseThrow(() -> new IllegalStateException("wait-router is not a step"));
        return ruleInvoking(router, id, "WaitRouter", description, pattern);
    }

    /**
     * A rule on the default bus that invokes {@code function}'s alias with the push rule's retries and
     * dead-letter queue. EventBridge invokes a Lambda target through the function's resource policy,
     * not a role (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-lambda-permissions).
     */
    private CfnRule ruleInvoking(DeckhandFunction function, String id, String targetId, String description,
            String pattern) {
        CfnRule rule = CfnRule.Builder.create(this, id)
                .description(description)
                .state("ENABLED")
                .eventPattern(PushTrigger.parse(pattern))
                .targets(List.of(CfnRule.TargetProperty.builder()
                        .id(targetId)
                        .arn(function.alias().getFunctionArn())
                        .retryPolicy(CfnRule.RetryPolicyProperty.builder()
                                .maximumRetryAttempts(PushTrigger.RETRY_ATTEMPTS)
                                .maximumEventAgeInSeconds(PushTrigger.MAX_EVENT_AGE.toSeconds())
                                .build())
                        .deadLetterConfig(CfnRule.DeadLetterConfigProperty.builder()
                                .arn(trigger.deadLetters().getQueueArn())
                                .build())
                        .build()))
                .build();
        function.alias().addPermission("InvokedBy" + id, Permission.builder()
                .principal(new ServicePrincipal("events.amazonaws.com"))
                .action("lambda:InvokeFunction")
                .sourceArn(rule.getAttrArn())
                .build());
        trigger.keepDeadLettersOf(rule);
        return rule;
    }

    /**
     * Puts the catalogue's rendered statements of {@code access} ({@link Policies}, the renderer the
     * local cloud enforces too) on the function's role.
     */
    private void grant(DeckhandFunction function, Access access, EcsPermissions ecs) {
        List<PolicyStatement> statements = Policies.of(access, settings.configuration(), names()).stream()
                .map(CdkStatements::of).toList();
        if (access == Access.WAKE_DEPLOYER) {
            // A step's role names the state machine that names the step: in the role's default policy
            // (which the function depends on) that would be a cycle, so it is a policy of its own.
            Policy.Builder.create(this, function.spec().name() + access.name())
                    .roles(List.of(function.role()))
                    .statements(statements)
                    .build();
        } else {
            statements.forEach(function.role()::addToPolicy);
        }
        switch (access) {
            case ECS_DEPLOY -> AcceptedFindings.ecsDeploy(function, ecs.clusters());
            case ECS_MIGRATE -> AcceptedFindings.ecsMigrate(function, ecs.migrationClusters());
            case ECS_ROLLBACK -> AcceptedFindings.ecsRollback(function);
            case ECS_CLEANUP -> AcceptedFindings.ecsCleanup(function);
            default -> {
            }
        }
    }

    /**
     * An SQS failure destination that Lambda may only send to: Lambda needs sqs:SendMessage on the
     * queue (invocation-async-retain-records), not the GetQueueAttributes/GetQueueUrl that CDK's
     * SqsDestination grants besides.
     */
    private static software.amazon.awscdk.services.lambda.IDestination sendOnly(
            software.amazon.awscdk.services.sqs.IQueue queue) {
        return new software.amazon.awscdk.services.lambda.IDestination() {
            @Override
            public software.amazon.awscdk.services.lambda.DestinationConfig bind(software.constructs.Construct scope,
                    software.amazon.awscdk.services.lambda.IFunction function) {
                return bind(scope, function, null);
            }

            @Override
            public software.amazon.awscdk.services.lambda.DestinationConfig bind(software.constructs.Construct scope,
                    software.amazon.awscdk.services.lambda.IFunction function,
                    software.amazon.awscdk.services.lambda.DestinationOptions options) {
                software.amazon.awscdk.services.iam.Grant.addToPrincipal(
                        software.amazon.awscdk.services.iam.GrantOnPrincipalOptions.builder()
                                .grantee(function).actions(List.of("sqs:SendMessage"))
                                .resourceArns(List.of(queue.getQueueArn())).build());
                return software.amazon.awscdk.services.lambda.DestinationConfig.builder()
                        .destination(queue.getQueueArn()).build();
            }
        };
    }

    /** The statements the catalogue renders for {@code function} here (the local cloud enforces the same rendering). */
    List<dev.deckhand.catalogue.Statement> renderedPolicy(dev.deckhand.catalogue.DeployerFunction function) {
        return Policies.of(function, settings.configuration(), names());
    }

    private dev.deckhand.catalogue.ResourceNames names() {
        return CdkStatements.names(this::arn);
    }

    private String arn(Resource resource) {
        return switch (resource) {
            case CONFIG_PARAMETER -> configuration.parameter().getParameterArn();
            case HISTORY_TABLE -> history.getTableArn();
            case HISTORY_BY_TARGET_INDEX -> history.getTableArn() + "/index/" + Tables.BY_TARGET;
            case LOCKS_TABLE -> locks.getTableArn();
            case WAITS_TABLE -> waits.getTableArn();
            case FREEZES_TABLE -> freezes.getTableArn();
            case WAITS_BY_EXECUTION_INDEX -> waits.getTableArn() + "/index/" + dev.deckhand.aws.DynamoDbWaits.BY_EXECUTION;
            case TOPIC -> topic.getTopicArn();
            case TOPIC_KEY -> topicKey.getKeyArn();
            case DEFAULT_EVENT_BUS -> formatArn(ArnComponents.builder()
                    .service("events").resource("event-bus").resourceName(EVENT_BUS).build());
            case DEPLOYER_STATE_MACHINE -> deployer.getStateMachineArn();
            case HOOK_INVOKE_ROLE -> hookInvokeRole.getRoleArn();
            case SLACK_WEBHOOK_SECRETS, GITHUB_TOKEN_SECRETS, CONFIGURED_ECS, CONFIGURED_ECR_REPOSITORIES,
                    DEPLOYMENT_ROLES, MIGRATION_DEPLOYMENT_ROLES, GATE_ALARMS -> throw new IllegalStateException(resource
                    + " is rendered from the configuration");
        };
    }
}
