package dev.deckhand.local.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.catalogue.DeployerFunction;
import dev.deckhand.catalogue.Policies;
import dev.deckhand.catalogue.Resource;
import dev.deckhand.catalogue.ResourceNames;
import dev.deckhand.catalogue.Statement;
import dev.deckhand.local.iam.ActionTable;
import dev.deckhand.local.iam.IamEnforcement;
import dev.deckhand.local.iam.PolicyDocument;
import dev.deckhand.local.logs.LogStore;
import dev.deckhand.local.sts.LocalSts;
import dev.deckhand.catalogue.Tables;
import dev.deckhand.catalogue.Tables.TableDefinition;
import dev.deckhand.aws.AssumedRoles;
import dev.deckhand.aws.AwsClients;
import dev.deckhand.aws.Wiring;
import dev.deckhand.health.HealthProbe;
import dev.deckhand.aws.DynamoDbDeploymentHistory;
import dev.deckhand.aws.Environment;
import dev.deckhand.aws.SsmConfigurationSource;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.config.EnvironmentDefinition;
import dev.deckhand.config.ServiceDefinition;
import dev.deckhand.events.DeadExecutionPattern;
import dev.deckhand.events.EcsEventPatterns;
import dev.deckhand.aws.DynamoDbWaits;
import dev.deckhand.events.EcrPushPattern;
import dev.deckhand.health.HttpHealthProbe;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.LocalCloud;
import dev.deckhand.local.api.LocalApiGateway;
import dev.deckhand.local.api.RouteAuthorization;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.ecr.LocalEcr;
import dev.deckhand.local.ecs.LocalEcs;
import dev.deckhand.local.ecs.WorkloadTiming;
import dev.deckhand.local.fault.FaultRule;
import dev.deckhand.local.lambda.LocalLambdaContext;
import dev.deckhand.local.sfn.LocalStepFunctions;
import dev.deckhand.promote.DeploymentApiHandler;
import dev.deckhand.notify.OutcomeMetric;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.Json;
import dev.deckhand.statemachine.LambdaFunctions;
import dev.deckhand.statemachine.StateMachineDefinition;
import dev.deckhand.statemachine.StepFunctionsEngine;
import dev.deckhand.statemachine.TaskResources;
import dev.deckhand.statemachine.clock.EngineClock;
import dev.deckhand.statemachine.clock.RealTimeClock;
import dev.deckhand.statemachine.clock.SimulatedClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;

/**
 * Deckhand, whole, on loopback: the local cloud (with simulated ECS and ECR, DynamoDB Local, SNS,
 * EventBridge), the Step Functions engine running {@code deployer.asl.json} unchanged, and the
 * real handlers, whose AWS SDK clients talk to the local cloud. An image pushed to the local ECR
 * emits the ECR event, the rule deployed by the CDK app (same pattern) starts the deployer, and
 * the deployer changes the simulated ECS service — the production flow, minus AWS.
 */
public final class LocalDeckhand implements AutoCloseable {

    public static final String STATE_MACHINE = "deckhand-deployer";
    /** The role local ECS assumes to invoke the lifecycle-hook function (the stack's LifecycleHookInvokeRole). */
    public static final String HOOK_INVOKE_ROLE = "deckhand-LifecycleHookInvokeRole";
    public static final String HISTORY_TABLE = Tables.HISTORY.localName();
    public static final String LOCKS_TABLE = Tables.LOCKS.localName();
    public static final String TOPIC = "deckhand-outcomes";
    public static final String PUSH_RULE = "deckhand-ecr-push";
    public static final String DEAD_EXECUTION_RULE = "deckhand-dead-executions";
    public static final String WAITS_TABLE = Tables.WAITS.localName();
    public static final String FREEZES_TABLE = Tables.FREEZES.localName();
    /** The rules that hand ECS's events to wait-router, as the CDK app deploys them. */
    public static final String ECS_DEPLOYMENT_RULE = "deckhand-ecs-deployments";
    public static final String ECS_TASK_RULE = "deckhand-ecs-stopped-tasks";
    /** The key pair local clients sign with (the local cloud's dummy credentials). */
    public static final String ACCESS_KEY_ID = "deckhand";
    public static final String SECRET_ACCESS_KEY = "local";
    /** The tag of the image every configured service runs before the first deployment. */
    public static final String BASELINE_TAG = "baseline";
    /** The awslogs stream prefix of the seeded services' containers. */
    public static final String LOG_STREAM_PREFIX = "ecs";
    /** Where the configuration is, as the CDK app's default stack puts it ({@code DECKHAND_CONFIG_PARAMETER}). */
    public static final String CONFIGURATION_PARAMETER =
            Environment.configurationParameterName(Environment.DEFAULT_STACK_NAME);

    private final DeckhandConfiguration configuration;
    private final EngineClock clock;
    private final LocalCloud cloud;
    private final LocalEcr ecr;
    private final LocalEcs ecs;
    private final dev.deckhand.local.lambda.LocalLambda lambda = new dev.deckhand.local.lambda.LocalLambda();
    private final StepFunctionsEngine engine;
    private final AwsClients aws;
    private final SdkClients sdk;
    private final String stateMachineArn;
    private final String topicArn;
    private final DeploymentHistory history;
    private final List<OutcomeMetric> metrics = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final LocalApiGateway api;
    private final Map<String, RequestStreamHandler> handlers = new java.util.concurrent.ConcurrentHashMap<>();
    private final InvocationListener invocationListener;
    private final ConfigurationSource configurationSource;
    private final LoopbackSlackWebhook slackWebhook;
    private final LoopbackGitHub gitHub;
    /** Where the handlers read the configuration: SSM (each function with its own clients), or in memory. */
    private final boolean configurationInSsm;
    private final IamEnforcement iam;
    /** The ECS and Logs of each other account a cross-account environment lives in. */
    private final Map<String, LocalEcs> targetEcs = new LinkedHashMap<>();
    private final Map<String, LogStore> targetLogs = new LinkedHashMap<>();

    private LocalDeckhand(Builder builder) {
        this.configuration = builder.configuration;
        this.invocationListener = builder.invocationListener;
        this.clock = builder.realTime ? new RealTimeClock() : new SimulatedClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Clock time = clock.asJavaClock();
        LocalEcr[] ecrHolder = new LocalEcr[1];
        LocalEcs[] ecsHolder = new LocalEcs[1];
        LambdaFunctions functions = new LambdaFunctions();
        TaskResources resources = new TaskResources();
        functions.registerInto(resources);
        this.engine = new StepFunctionsEngine(clock, resources, LocalCloud.DEFAULT_REGION, LocalCloud.DEFAULT_ACCOUNT);
        LocalCloud.Builder cloudBuilder = LocalCloud.builder().port(builder.port).stsClock(time)
                .service(context -> new LocalStepFunctions(engine, context.events()))
                .service(context -> ecrHolder[0] = new LocalEcr(context.region(), context.account(), time, context.events()))
                .service(context -> ecsHolder[0] = new LocalEcs(context.region(), context.account(), time, ecrHolder[0],
                        context.events(), builder.workloadTiming));
        builder.faults.forEach(cloudBuilder::fault);
        this.cloud = cloudBuilder.build().start();
        this.ecr = ecrHolder[0];
        this.ecs = ecsHolder[0];
        // ECS acts when its work is due and EventBridge delivers while simulated time stands still,
        // as on AWS, where events come within milliseconds of what they report.
        ecs.onScheduled(due -> clock.schedule(due, ecs::emitDueEvents));
        cloud.events().holdWhileDelivering(() -> clock.beginActivity());
        hostTargetAccounts(time, builder.workloadTiming);
        // Every client here retries at once: the SDK's back-off is real time, and this cloud's time is simulated.
        this.aws = AwsClients.forEndpoint(cloud.endpoint(), Region.of(cloud.region()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
                .retryingAtOnce();
        this.sdk = new SdkClients(cloud.endpoint(), cloud.region(), ACCESS_KEY_ID, SECRET_ACCESS_KEY);
        createTables(sdk.dynamo());
        this.topicArn = cloud.topics().createTopic(TOPIC);
        this.history = new DynamoDbDeploymentHistory(aws.dynamoDb(), HISTORY_TABLE);
        ecs.containerLogs(cloud.logs());
        // ECS invokes lifecycle hooks through the local Lambda and reads deployment alarms from CloudWatch.
        ecs.lambda(lambda);
        ecs.alarmStates(name -> cloud.cloudWatch().state(name).orElse(null));
        seedServices();
        // After the seeding: the baseline services existed before the local cloud was watched.
        ecs.consistencyDelay(builder.ecsConsistencyDelay);
        targetEcs.values().forEach(other -> other.consistencyDelay(builder.ecsConsistencyDelay));
        this.configurationInSsm = builder.configurationText != null;
        if (builder.configurationText != null) {
            // As on AWS: the configuration lives in SSM and the handlers read it from there.
            cloud.parameters().put(CONFIGURATION_PARAMETER, "String", builder.configurationText);
            this.configurationSource = new SsmConfigurationSource(aws.ssm(), CONFIGURATION_PARAMETER);
        } else {
            this.configurationSource = ConfigurationSource.of(configuration);
        }
        this.slackWebhook = builder.slackMessages == null ? null : new LoopbackSlackWebhook(builder.slackMessages);
        if (slackWebhook != null) {
            slackSecrets().forEach(name -> cloud.secrets().put(name, slackWebhook.url().toString()));
        }
        this.gitHub = builder.gitHub ? new LoopbackGitHub() : null;
        if (gitHub != null) {
            gitHubTokenSecrets().forEach(name -> cloud.secrets().put(name, gitHub.token()));
        }
        // Before the functions: notify links GitHub deployments to the API's status route.
        this.api = startApi(builder);

        this.iam = builder.iam ? enforcement() : null;
        createDeploymentRoles();
        registerFunctions(functions, time);
        // From here on, every request a function signs with its own key is authorized against its policy.
        cloud.enforce(iam);
        this.stateMachineArn = engine.createStateMachine(STATE_MACHINE, StateMachineDefinition.parse(definition()));
        cloud.events().registerTarget("arn:aws:states:", (targetArn, input) ->
                engine.startExecution(targetArn, null, DeckhandJson.MAPPER.writeValueAsString(input)));
        cloud.events().putRule(PUSH_RULE, EcrPushPattern.forConfiguration(configuration));
        cloud.events().putTarget(PUSH_RULE, "deployer", stateMachineArn);
        // Rules may also target the functions, as on AWS: the dead-execution rule targets the cleanup.
        cloud.events().registerTarget("arn:aws:lambda:", (targetArn, input) -> {
            RequestStreamHandler handler = handlers.get(targetArn.substring(targetArn.lastIndexOf(':') + 1));
            if (handler == null) {
                throw new IllegalArgumentException("no local function " + targetArn);
            }
            invoke(handler, targetArn.substring(targetArn.lastIndexOf(':') + 1), input);
        });
        cloud.events().putRule(DEAD_EXECUTION_RULE, DeadExecutionPattern.forStateMachine(stateMachineArn));
        cloud.events().putTarget(DEAD_EXECUTION_RULE, "lock-cleanup", functionArn(Functions.LOCK_CLEANUP));
        cloud.events().putRule(ECS_DEPLOYMENT_RULE, EcsEventPatterns.deploymentsOf(configuration));
        cloud.events().putTarget(ECS_DEPLOYMENT_RULE, "wait-router", functionArn(Functions.WAIT_ROUTER));
        cloud.events().putRule(ECS_TASK_RULE, EcsEventPatterns.stoppedTasksOf(configuration));
        cloud.events().putTarget(ECS_TASK_RULE, "wait-router", functionArn(Functions.WAIT_ROUTER));
    }

    private LocalApiGateway startApi(Builder builder) {
        List<LocalApiGateway.Caller> callers = new ArrayList<>(builder.apiCallers);
        callers.add(new LocalApiGateway.Caller(ACCESS_KEY_ID, SECRET_ACCESS_KEY, cloud.account()));
        // The API's own calls sign with its role's key, as its Lambda does on AWS, so the local IAM
        // enforces its policy like every function's. Its metrics' period ends at the deployer's clock.
        Wiring wiring = wiringOf(DeployerFunction.DEPLOYMENT_API, clock.asJavaClock(), null);
        try {
            return new LocalApiGateway(new DeploymentApiHandler(wiring.deploymentApi()), callers,
                    new RouteAuthorization(builder.apiRoutes), cloud.region(), cloud.account(), builder.apiPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local promote API on 127.0.0.1:" + builder.apiPort, e);
        }
    }

    /** The promote and status API's base URL ({@code DECKHAND_API_URL}). */
    public URI apiUrl() {
        return api.url();
    }

    public static Builder builder(DeckhandConfiguration configuration) {
        return new Builder(configuration);
    }

    /** Pushes an image to the local ECR; ECR emits one event per tag, which may start deployments. */
    public EcrImage push(String repository, List<String> tags, ImageBehaviour behaviour) {
        return ecr.push(repository, tags, behaviour);
    }

    /** Starts an execution with the given input, as the console's "Start execution" does. */
    public String startExecution(String input) {
        return engine.startExecution(stateMachineArn, null, input);
    }

    /**
     * The execution a push of {@code image} started (EventBridge delivers the push event
     * asynchronously, as on AWS), once there is one.
     *
     * @return its ARN
     * @throws IllegalStateException when none started within {@code timeout} of real time
     */
    public String executionStartedBy(EcrImage image, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            for (ExecutionDescription execution : executions()) {
                if (execution.input().contains(image.digest())) {
                    return execution.executionArn();
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("no deployment started for " + image.uri() + " within " + timeout);
            }
            Thread.sleep(5);
        }
    }

    /** The deployer's executions, newest first. */
    public List<ExecutionDescription> executions() {
        return engine.listExecutions(stateMachineArn);
    }

    public ExecutionDescription awaitCompletion(String executionArn, Duration timeout) throws InterruptedException {
        return engine.awaitCompletion(executionArn, timeout);
    }

    public StepFunctionsEngine engine() {
        return engine;
    }

    public LocalCloud cloud() {
        return cloud;
    }

    public LocalEcs ecs() {
        return ecs;
    }

    /** The functions and roles AWS services invoke on the user's behalf (ECS lifecycle hooks). */
    public dev.deckhand.local.lambda.LocalLambda lambda() {
        return lambda;
    }

    public LocalEcr ecr() {
        return ecr;
    }

    /** The SDK's generated ECS and DynamoDB clients of this account's administrator (tests, tools). */
    public SdkClients sdk() {
        return sdk;
    }

    public AwsClients aws() {
        return aws;
    }

    public DeploymentHistory history() {
        return history;
    }

    /** The metrics the notify step emitted, oldest first (CloudWatch receives them on AWS). */
    public List<OutcomeMetric> metrics() {
        return List.copyOf(metrics);
    }

    public String topicArn() {
        return topicArn;
    }

    public String stateMachineArn() {
        return stateMachineArn;
    }

    public EngineClock clock() {
        return clock;
    }

    @Override
    public void close() {
        if (slackWebhook != null) {
            slackWebhook.close();
        }
        if (gitHub != null) {
            gitHub.close();
        }
        api.close();
        engine.close();
        ecs.close();
        targetEcs.values().forEach(LocalEcs::close);
        cloud.close();
    }

    /** The definition the CDK app deploys, with each function's ARN substituted. */
    private String definition() {
        String text;
        try (InputStream in = StateMachineDefinition.class.getResourceAsStream("/deployer.asl.json")) {
            if (in == null) {
                throw new IllegalStateException("deployer.asl.json is missing from the statemachine jar");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (DeployerFunction step : DeployerFunction.steps()) {
            text = text.replace("${" + step.placeholder() + "}", functionArn(Functions.name(step)));
        }
        return text;
    }

    private void registerFunctions(LambdaFunctions functions, Clock time) {
        HealthProbe probe = new LocalHealthProbe(new HttpHealthProbe(), loadBalancers());
        // Every function of the catalogue (the promote API is served by the local API Gateway instead), each
        // with clients signing with its own access key, as each Lambda has its own role's credentials.
        for (DeployerFunction function : DeployerFunction.values()) {
            cloud.sts().principal(accessKeyOf(function), roleArnOf(function));
            if (function != DeployerFunction.DEPLOYMENT_API) {
                RequestStreamHandler handler = wiringOf(function, time, probe).handler(function);
                register(functions, Functions.name(function), handler);
                if (function == DeployerFunction.LIFECYCLE_HOOK) {
                    registerLifecycleHook(handler);
                }
            }
        }
    }

    /**
     * The wiring of one function, as its Lambda's would be: its own clients and deployment-role
     * sessions, the deployer's clock, the loopback load balancer behind the health URLs, no pause
     * between probes (the simulated clock moves instead), GitHub only when asked for (the loopback one).
     */
    private Wiring wiringOf(DeployerFunction function, Clock time, HealthProbe probe) {
        AwsClients clients = clientsOf(function);
        return new Wiring(new Wiring.Parts(clients, new AssumedRoles(clients.sts(), time), time,
                () -> {
                    variable(function, Environment.CONFIG_PARAMETER);
                    return configurationSource(clients);
                }, variable(function, Environment.HISTORY_TABLE, () -> HISTORY_TABLE),
                variable(function, Environment.LOCKS_TABLE, () -> LOCKS_TABLE),
                variable(function, Environment.WAITS_TABLE, () -> WAITS_TABLE),
                variable(function, Environment.FREEZES_TABLE, () -> FREEZES_TABLE),
                variable(function, Environment.TOPIC_ARN, () -> topicArn), () -> "default",
                Optional.ofNullable(gitHub).map(LoopbackGitHub::url), api == null ? null : api.url(),
                () -> metrics::addAll, probe, duration -> { },
                variable(function, Environment.STATE_MACHINE_ARN, () -> stateMachineArn),
                () -> function.environment().contains(Environment.HOOK_FUNCTION_ARN) ? hookFunction() : null));
    }

    /**
     * A variable of the function's environment as its Lambda has it: the CDK app sets only those its
     * catalogue access names, so a handler reading another fails here as it would on AWS.
     */
    private static java.util.function.Supplier<String> variable(DeployerFunction function, String variable,
            java.util.function.Supplier<String> value) {
        return () -> {
            variable(function, variable);
            return value.get();
        };
    }

    private static void variable(DeployerFunction function, String variable) {
        if (!function.environment().contains(variable)) {
            throw new IllegalStateException(variable + " is not set; the CDK app sets on " + function.functionName()
                    + " only what its access names: " + function.environment());
        }
    }

    /**
     * ECS invokes the hook through the local Lambda as the stack's invoke role: trusted by
     * ecs.amazonaws.com, allowed lambda:InvokeFunction on the hook only (blue-green-permissions).
     */
    private void registerLifecycleHook(RequestStreamHandler handler) {
        String name = Functions.name(DeployerFunction.LIFECYCLE_HOOK);
        String arn = functionArn(name);
        lambda.function(arn, payload -> {
            try {
                return invoke(handler, name, payload);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        com.fasterxml.jackson.databind.node.ObjectNode policy = DeckhandJson.MAPPER.createObjectNode();
        policy.putArray("Statement").addObject().put("Effect", "Allow").put("Action", "lambda:InvokeFunction")
                .put("Resource", arn);
        lambda.role(hookInvokeRoleArn(), List.of(dev.deckhand.catalogue.Policies.ECS_PRINCIPAL),
                dev.deckhand.local.iam.PolicyDocument.parse(policy));
    }

    /** The local lifecycle-hook function and the role local ECS assumes to invoke it, as the stack names them. */
    public dev.deckhand.deploy.HookFunction hookFunction() {
        return new dev.deckhand.deploy.HookFunction(functionArn(Functions.name(DeployerFunction.LIFECYCLE_HOOK)),
                hookInvokeRoleArn());
    }

    private String hookInvokeRoleArn() {
        return "arn:aws:iam::" + cloud.account() + ":role/" + HOOK_INVOKE_ROLE;
    }

    private ConfigurationSource configurationSource(AwsClients clients) {
        return configurationInSsm ? new SsmConfigurationSource(clients.ssm(), CONFIGURATION_PARAMETER) : configurationSource;
    }

    /**
     * The clients of one function: they sign with its access key id ({@link #accessKeyOf}), which the
     * local IAM maps to its role's policy.
     */
    private AwsClients clientsOf(DeployerFunction function) {
        return AwsClients.forEndpoint(cloud.endpoint(), Region.of(cloud.region()), StaticCredentialsProvider.create(
                AwsBasicCredentials.create(accessKeyOf(function), SECRET_ACCESS_KEY))).retryingAtOnce();
    }

    private static String roleNameOf(DeployerFunction function) {
        return "deckhand-" + function.functionName() + "Role";
    }

    /** The ARN of a function's role, which the deployment roles of other accounts trust. */
    private String roleArnOf(DeployerFunction function) {
        return "arn:aws:iam::" + cloud.account() + ":role/" + roleNameOf(function);
    }

    /** The access key an administrator of {@code account} signs with locally (the demo's seeding, tests). */
    public static String adminKeyOf(String account) {
        return "AKIDLOCALADMIN" + account;
    }

    /** The SDK's generated clients of an administrator in another local account (seeding, tests). */
    public SdkClients adminSdkClientsIn(String account) {
        return new SdkClients(cloud.endpoint(), cloud.region(), adminKeyOf(account), SECRET_ACCESS_KEY);
    }

    /** The SDK's generated clients of one function's role (tests of what its policy allows). */
    public SdkClients sdkClientsOf(DeployerFunction function) {
        return new SdkClients(cloud.endpoint(), cloud.region(), accessKeyOf(function), SECRET_ACCESS_KEY);
    }

    /** An administrator's clients in another local account (a cross-account environment's). */
    public AwsClients adminClientsIn(String account) {
        return AwsClients.forEndpoint(cloud.endpoint(), Region.of(cloud.region()), StaticCredentialsProvider.create(
                AwsBasicCredentials.create(adminKeyOf(account), SECRET_ACCESS_KEY))).retryingAtOnce();
    }

    /**
     * Each account a cross-account environment names gets its own ECS and Logs, answering only
     * requests signed with that account's keys: its administrator's, and the credentials STS
     * issues for its roles.
     */
    private void hostTargetAccounts(Clock time, dev.deckhand.local.ecs.WorkloadTiming timing) {
        for (String account : Policies.targetAccounts(configuration)) {
            LocalEcs other = new LocalEcs(cloud.region(), account, time, ecr, cloud.events(), timing);
            // Its events come when due, as the home account's do (wait-router is woken by them).
            other.onScheduled(due -> clock.schedule(due, other::emitDueEvents));
            LogStore logs = new LogStore(cloud.region(), account, Clock.systemUTC());
            other.containerLogs(logs);
            cloud.host(account, other);
            cloud.host(account, logs);
            cloud.bindKey(adminKeyOf(account), account);
            targetEcs.put(account, other);
            targetLogs.put(account, logs);
        }
    }

    /**
     * The deployment role of each cross-account environment, as the target-account stack creates it:
     * trusting only the deploy, migration and rollback functions' roles, allowed what
     * {@link Policies#deploymentRole} renders for its account.
     */
    private void createDeploymentRoles() {
        List<String> trusted = List.of(roleArnOf(DeployerFunction.DEPLOY), roleArnOf(DeployerFunction.MIGRATION),
                roleArnOf(DeployerFunction.ROLLBACK));
        for (ServiceDefinition service : configuration.services().values()) {
            for (EnvironmentDefinition environment : service.environments().values()) {
                if (environment.crossAccount()) {
                    cloud.sts().createRole(new LocalSts.Role(environment.roleArn(), trusted, PolicyDocument.parse(
                            policyDocument(Policies.deploymentRole(configuration, localNames(environment.account()))))));
                }
            }
        }
    }

    /** The ECS of another local account (a cross-account environment's). */
    public LocalEcs ecsOf(String account) {
        LocalEcs other = targetEcs.get(account);
        if (other == null) {
            throw new IllegalArgumentException("no cross-account environment lives in account " + account);
        }
        return other;
    }

    /** The access key id a function's clients sign with locally. */
    public static String accessKeyOf(DeployerFunction function) {
        return "ASIA" + function.name().replace("_", "");
    }

    /**
     * The local IAM: each function's policy rendered by the catalogue ({@link Policies}, as the CDK app
     * renders its role), read by the local evaluator. A policy it cannot read stops the start, naming the
     * function: enforcement never fails open.
     */
    private IamEnforcement enforcement() {
        IamEnforcement enforcement = new IamEnforcement(new ActionTable.Scope(cloud.region(), cloud.account(),
                cloud.secrets()::arnOf, engine::stateMachineOfTaskToken, this::taskTags));
        ResourceNames names = localNames();
        for (DeployerFunction function : DeployerFunction.values()) {
            // A role session name holds no space ("promote API").
            String name = Functions.name(function).replace(' ', '-');
            PolicyDocument policy;
            try {
                policy = PolicyDocument.parse(policyDocument(Policies.of(function, configuration, names)));
            } catch (RuntimeException e) {
                throw new IllegalStateException("The IAM policy of " + name + " cannot be evaluated locally: "
                        + e.getMessage(), e);
            }
            enforcement.register(new IamEnforcement.Identity(accessKeyOf(function), name, roleNameOf(function), policy));
        }
        return enforcement;
    }

    /** The tags of an ECS task of any local account (its ARN names the account), for the local IAM. */
    private Map<String, String> taskTags(String taskArn) {
        String[] parts = taskArn.split(":", 6);
        if (parts.length < 6) {
            return Map.of();
        }
        LocalEcs owner = parts[4].equals(cloud.account()) ? ecs : targetEcs.get(parts[4]);
        return owner == null ? Map.of() : owner.taskTags(taskArn);
    }

    /** The statements as an IAM policy document, the JSON a role's inline policy holds. */
    static JsonNode policyDocument(List<Statement> statements) {
        com.fasterxml.jackson.databind.node.ObjectNode document = DeckhandJson.MAPPER.createObjectNode()
                .put("Version", "2012-10-17");
        com.fasterxml.jackson.databind.node.ArrayNode array = document.putArray("Statement");
        for (Statement statement : statements) {
            com.fasterxml.jackson.databind.node.ObjectNode json = array.addObject().put("Effect", "Allow");
            statement.actions().forEach(json.withArray("Action")::add);
            statement.resources().forEach(json.withArray("Resource")::add);
            if (!statement.conditions().isEmpty()) {
                com.fasterxml.jackson.databind.node.ObjectNode condition = json.putObject("Condition");
                statement.conditions().forEach((operator, keys) -> {
                    com.fasterxml.jackson.databind.node.ObjectNode byKey = condition.putObject(operator);
                    keys.forEach((key, values) -> values.forEach(byKey.withArray(key)::add));
                });
            }
        }
        return document;
    }

    /** Deckhand's resources by their local ARNs. */
    private ResourceNames localNames() {
        return localNames(cloud.account());
    }

    private ResourceNames localNames(String account) {
        String region = cloud.region();
        return new ResourceNames() {
            @Override
            public String partition() {
                return "aws";
            }

            @Override
            public String region() {
                return region;
            }

            @Override
            public String account() {
                return account;
            }

            @Override
            public String arn(Resource resource) {
                return switch (resource) {
                    case CONFIG_PARAMETER -> arn("ssm", "parameter/" + (CONFIGURATION_PARAMETER.startsWith("/")
                            ? CONFIGURATION_PARAMETER.substring(1) : CONFIGURATION_PARAMETER));
                    case HISTORY_TABLE -> arn("dynamodb", "table/" + HISTORY_TABLE);
                    case HISTORY_BY_TARGET_INDEX -> arn("dynamodb", "table/" + HISTORY_TABLE + "/index/" + Tables.BY_TARGET);
                    case LOCKS_TABLE -> arn("dynamodb", "table/" + LOCKS_TABLE);
                    case WAITS_TABLE -> arn("dynamodb", "table/" + WAITS_TABLE);
                    case FREEZES_TABLE -> arn("dynamodb", "table/" + FREEZES_TABLE);
                    case WAITS_BY_EXECUTION_INDEX -> arn("dynamodb", "table/" + WAITS_TABLE + "/index/"
                            + dev.deckhand.aws.DynamoDbWaits.BY_EXECUTION);
                    case TOPIC -> topicArn;
                    // The local topic is not encrypted: nothing calls KMS locally.
                    case TOPIC_KEY -> arn("kms", "key/local-topic-key");
                    case DEFAULT_EVENT_BUS -> arn("events", "event-bus/default");
                    case DEPLOYER_STATE_MACHINE -> arn("states", "stateMachine:" + STATE_MACHINE);
                    case HOOK_INVOKE_ROLE -> hookInvokeRoleArn();
                    case SLACK_WEBHOOK_SECRETS, GITHUB_TOKEN_SECRETS, CONFIGURED_ECS, CONFIGURED_ECR_REPOSITORIES, DEPLOYMENT_ROLES,
                            MIGRATION_DEPLOYMENT_ROLES, GATE_ALARMS ->
                            throw new IllegalStateException(resource + " is rendered from the configuration");
                };
            }
        };
    }

    /** What the local IAM authorized and denied (empty when started with enforcement off). */
    public Optional<IamEnforcement> iam() {
        return Optional.ofNullable(iam);
    }

    private void register(LambdaFunctions functions, String name, RequestStreamHandler handler) {
        handlers.put(name, handler);
        functions.register(name, event -> invoke(handler, name, event));
    }

    /** Invokes a handler in-process the way the Lambda runtime would: JSON in, JSON out. */
    private JsonNode invoke(RequestStreamHandler handler, String name, JsonNode event) throws IOException {
        long started = System.nanoTime();
        try {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            // Step Functions hands Lambda the payload as JSON text, whatever its depth: the engine's writer.
            handler.handleRequest(new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), output,
                    new LocalLambdaContext(name, cloud.region(), cloud.account()));
            return output.size() == 0 ? null : DeckhandJson.MAPPER.readTree(output.toByteArray());
        } finally {
            invocationListener.invoked(name, System.nanoTime() - started);
        }
    }

    private String functionArn(String name) {
        return "arn:aws:lambda:" + cloud.region() + ":" + cloud.account() + ":function:" + name;
    }

    /** Health URLs of the configuration → the loopback load balancer of their ECS service. */
    private Map<String, Function<String, URI>> loadBalancers() {
        Map<String, Function<String, URI>> byHost = new HashMap<>();
        for (ServiceDefinition service : configuration.services().values()) {
            for (EnvironmentDefinition environment : service.environments().values()) {
                if (environment.healthCheck() != null) {
                    byHost.put(LocalHealthProbe.hostKey(URI.create(environment.healthCheck().url())),
                            url -> (environment.crossAccount() ? ecsOf(environment.account()) : ecs)
                                    .serviceUrl(environment.cluster(), environment.ecsService()));
                }
                // A blue-green, linear or canary environment's test listener: what the lifecycle hook probes first.
                if (environment.strategy() != null && environment.strategy().loadBalancer() != null
                        && environment.strategy().loadBalancer().testUrl() != null) {
                    byHost.put(LocalHealthProbe.hostKey(URI.create(environment.strategy().loadBalancer().testUrl())),
                            url -> (environment.crossAccount() ? ecsOf(environment.account()) : ecs)
                                    .testListenerUrl(environment.cluster(), environment.ecsService()));
                }
            }
        }
        return byHost;
    }

    /**
     * Every configured environment gets its ECS service, already running a healthy baseline image
     * (before the push rule exists, so the baseline deploys nothing), through the real ECS API.
     */
    /** The Slack secrets the configuration names (by name: a full ARN is another account's to create). */
    public Set<String> slackSecrets() {
        Set<String> names = new TreeSet<>();
        configuration.services().values().forEach(service -> service.environments().values().forEach(environment -> {
            String secret = environment.notifications().slackWebhookSecret();
            if (secret != null && !secret.startsWith("arn:")) {
                names.add(secret);
            }
        }));
        return names;
    }

    /** The GitHub token secrets the configuration names (by name: a full ARN is another account's to create). */
    public Set<String> gitHubTokenSecrets() {
        Set<String> names = new TreeSet<>();
        configuration.services().values().forEach(service -> service.environments().values().forEach(environment -> {
            var github = environment.notifications().github();
            if (github != null && !github.tokenSecret().startsWith("arn:")) {
                names.add(github.tokenSecret());
            }
        }));
        return names;
    }

    /** The loopback GitHub API the github targets report to, if one was asked for. */
    public Optional<LoopbackGitHub> gitHub() {
        return Optional.ofNullable(gitHub);
    }

    /** The loopback Slack webhook the configured Slack secrets point at, if one was asked for. */
    public Optional<LoopbackSlackWebhook> slackWebhook() {
        return Optional.ofNullable(slackWebhook);
    }

    private void seedServices() {
        EcsClient home = sdk.ecs();
        Map<String, EcrImage> baselines = new LinkedHashMap<>();
        for (ServiceDefinition service : configuration.services().values()) {
            for (EnvironmentDefinition environment : service.environments().values()) {
                EcrImage baseline = baselines.computeIfAbsent(environment.repository(), repository -> {
                    ecr.ensureRepository(repository);
                    return ecr.push(repository, List.of(BASELINE_TAG), ImageBehaviour.healthy());
                });
                String container = service.container() != null ? service.container() : "app";
                EcsClient client = environment.crossAccount() ? adminSdkClientsIn(environment.account()).ecs() : home;
                LogStore logStore = environment.crossAccount() ? targetLogs.get(environment.account()) : cloud.logs();
                String account = environment.crossAccount() ? environment.account() : cloud.account();
                client.createCluster(request -> request.clusterName(environment.cluster()));
                // As a CDK FargateTaskDefinition with LogDriver.awsLogs does: a group per service, the
                // stream prefix naming each task's stream (a failed migration's log tail is read there).
                String logGroup = logGroup(environment);
                if (!logStore.hasGroup(logGroup)) {
                    logStore.createGroup(logGroup);
                }
                // Like a real Fargate task definition, it carries an execution role (and, when configured, a task
                // role), so every deployment passes them and exercises iam:PassRole.
                String executionRole = environment.executionRoleArn() != null ? environment.executionRoleArn()
                        : "arn:aws:iam::" + account + ":role/" + environment.ecsService() + "-execution";
                String taskDefinition = client.registerTaskDefinition(request -> request
                        .family(environment.ecsService())
                        .executionRoleArn(executionRole)
                        .taskRoleArn(environment.taskRoleArn())
                        .networkMode(NetworkMode.AWSVPC)
                        .requiresCompatibilities(Compatibility.FARGATE)
                        .cpu("256").memory("512")
                        .containerDefinitions(definition -> definition.name(container).essential(true)
                                .image(baseline.uri())
                                .portMappings(port -> port.containerPort(8080))
                                .logConfiguration(logs -> logs.logDriver(LogDriver.AWSLOGS).options(Map.of(
                                        "awslogs-group", logGroup, "awslogs-region", cloud.region(),
                                        "awslogs-stream-prefix", LOG_STREAM_PREFIX)))))
                        .taskDefinition().taskDefinitionArn();
                client.createService(request -> request
                        .cluster(environment.cluster())
                        .serviceName(environment.ecsService())
                        .taskDefinition(taskDefinition)
                        .desiredCount(2)
                        .launchType(LaunchType.FARGATE)
                        .networkConfiguration(network -> network.awsvpcConfiguration(vpc -> vpc
                                .subnets("subnet-local").assignPublicIp(AssignPublicIp.DISABLED)))
                        .deploymentConfiguration(deployment -> deployment
                                .deploymentCircuitBreaker(breaker -> breaker.enable(true).rollback(true))));
            }
        }
    }

    /** The awslogs group of an environment's service in the local cloud ({@code /ecs/<ecs service>}). */
    public static String logGroup(EnvironmentDefinition environment) {
        return "/ecs/" + environment.ecsService();
    }

    /** The catalogue's tables, as the CDK app defines them (string keys, indexes projecting everything). */
    private static void createTables(DynamoDbClient dynamo) {
        for (TableDefinition table : Tables.ALL) {
            Set<String> attributes = new LinkedHashSet<>();
            attributes.add(table.partitionKey());
            List<software.amazon.awssdk.services.dynamodb.model.KeySchemaElement> keys = new ArrayList<>();
            keys.add(key(table.partitionKey(), KeyType.HASH));
            if (table.sortKey() != null) {
                attributes.add(table.sortKey());
                keys.add(key(table.sortKey(), KeyType.RANGE));
            }
            List<GlobalSecondaryIndex> indexes = new ArrayList<>();
            for (Tables.IndexDefinition index : table.indexes()) {
                attributes.add(index.partitionKey());
                attributes.add(index.sortKey());
                indexes.add(GlobalSecondaryIndex.builder().indexName(index.name())
                        .keySchema(key(index.partitionKey(), KeyType.HASH), key(index.sortKey(), KeyType.RANGE))
                        .projection(projection -> projection.projectionType(ProjectionType.ALL)).build());
            }
            dynamo.createTable(request -> request.tableName(table.localName())
                    .billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(attributes.stream().map(LocalDeckhand::attribute).toList())
                    .keySchema(keys)
                    .globalSecondaryIndexes(indexes.isEmpty() ? null : indexes));
        }
    }

    private static software.amazon.awssdk.services.dynamodb.model.AttributeDefinition attribute(String name) {
        return software.amazon.awssdk.services.dynamodb.model.AttributeDefinition.builder()
                .attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static software.amazon.awssdk.services.dynamodb.model.KeySchemaElement key(String name, KeyType type) {
        return software.amazon.awssdk.services.dynamodb.model.KeySchemaElement.builder()
                .attributeName(name).keyType(type).build();
    }

    /** Told of every function invocation once it returns or throws (benchmarks sum the time in handler code). */
    @FunctionalInterface
    public interface InvocationListener {
        /**
         * @param function the function's name
         * @param nanos wall time of the invocation, event serialization included
         */
        void invoked(String function, long nanos);
    }

    /** Configures a {@link LocalDeckhand}. */
    public static final class Builder {
        private final DeckhandConfiguration configuration;
        private int port;
        private boolean realTime;
        private final List<FaultRule> faults = new ArrayList<>();
        private final List<LocalApiGateway.Caller> apiCallers = new ArrayList<>();
        private final Map<String, List<String>> apiRoutes = new LinkedHashMap<>();
        private int apiPort;
        private WorkloadTiming workloadTiming = WorkloadTiming.defaults();
        private java.time.Duration ecsConsistencyDelay = java.time.Duration.ZERO;
        private InvocationListener invocationListener = (function, nanos) -> { };
        private String configurationText;
        private Consumer<String> slackMessages;
        private boolean gitHub;
        private boolean iam = true;

        private Builder(DeckhandConfiguration configuration) {
            this.configuration = configuration;
        }

        /** The local cloud's port on 127.0.0.1; 0 (the default) picks a free one. */
        /**
         * Whether each function's requests are authorized against its rendered policy (on by default;
         * {@code --no-iam} switches it off).
         */
        public Builder iam(boolean enforced) {
            this.iam = enforced;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Wait states, retries and rollouts in real time instead of simulated time. */
        public Builder realTime(boolean realTime) {
            this.realTime = realTime;
            return this;
        }

        /** The promote API's port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder apiPort(int port) {
            this.apiPort = port;
            return this;
        }

        /** Another key pair the promote API knows (it is authorized only if of this cloud's account). */
        public Builder apiCaller(String accessKeyId, String secretAccessKey, String account) {
            apiCallers.add(new LocalApiGateway.Caller(accessKeyId, secretAccessKey, account));
            return this;
        }

        /**
         * A caller of the local API whose identity policy allows only {@code routes}
         * ({@code <METHOD>/<path>} with {@code *}, see {@link RouteAuthorization}); its principal is
         * {@code arn:aws:iam::<account>:user/<accessKeyId>}.
         */
        public Builder apiCaller(String accessKeyId, String secretAccessKey, String account, List<String> routes) {
            apiCaller(accessKeyId, secretAccessKey, account);
            apiRoutes.put("arn:aws:iam::" + account + ":user/" + accessKeyId, List.copyOf(routes));
            return this;
        }

        /** How long simulated ECS workloads take; {@link WorkloadTiming#defaults()} unless set. */
        public Builder workloadTiming(WorkloadTiming timing) {
            this.workloadTiming = java.util.Objects.requireNonNull(timing, "timing");
            return this;
        }

        /**
         * How long a new task-definition revision stays invisible to ECS's RunTask and UpdateService
         * (simulated time), as ECS's eventual consistency can make it; off (zero) by default.
         */
        public Builder ecsConsistencyDelay(java.time.Duration delay) {
            this.ecsConsistencyDelay = java.util.Objects.requireNonNull(delay, "delay");
            return this;
        }

        /** Told of every function invocation; none by default. */
        public Builder invocationListener(InvocationListener listener) {
            this.invocationListener = java.util.Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The configuration's text (what {@code deckhand.yml} holds): it is put in the local SSM
         * parameter {@link #CONFIGURATION_PARAMETER}, where the handlers then read it, as on AWS.
         */
        public Builder configurationText(String text) {
            this.configurationText = java.util.Objects.requireNonNull(text, "text");
            return this;
        }

        /**
         * Starts a loopback Slack webhook, points every Slack secret the configuration names at it,
         * and tells {@code received} of each message's text.
         */
        public Builder slackWebhook(Consumer<String> received) {
            this.slackMessages = java.util.Objects.requireNonNull(received, "received");
            return this;
        }

        /**
         * Starts a loopback GitHub API ({@link #gitHub()}), puts its token in every GitHub token
         * secret the configuration names, and reports the github targets to it.
         */
        public Builder gitHub() {
            this.gitHub = true;
            return this;
        }

        public Builder fault(FaultRule rule) {
            faults.add(rule);
            return this;
        }

        public LocalDeckhand start() {
            return new LocalDeckhand(this);
        }
    }
}
