package dev.deckhand.aws;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.approve.ApprovalService;
import dev.deckhand.catalogue.DeployerFunction;
import dev.deckhand.cleanup.RevisionCleanup;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.coordinate.CoordinateHandler;
import dev.deckhand.coordinate.CoordinationService;
import dev.deckhand.coordinate.LockCleanupHandler;
import dev.deckhand.deploy.DeployHandler;
import dev.deckhand.deploy.DeployService;
import dev.deckhand.deploy.HookFunction;
import dev.deckhand.deploy.RolloutEvents;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.deployment.ImageRegistry;
import dev.deckhand.health.HealthCheck;
import dev.deckhand.health.HealthCheckHandler;
import dev.deckhand.health.HealthProbe;
import dev.deckhand.health.HealthVerification;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.hook.HookAnswers;
import dev.deckhand.hook.LifecycleHook;
import dev.deckhand.hook.LifecycleHookHandler;
import dev.deckhand.migrate.MigrationHandler;
import dev.deckhand.migrate.MigrationEvents;
import dev.deckhand.migrate.MigrationService;
import dev.deckhand.notify.MetricsSink;
import dev.deckhand.notify.NotificationChannel;
import dev.deckhand.notify.NotifyHandler;
import dev.deckhand.notify.NotifyService;
import dev.deckhand.promote.DeploymentApi;
import dev.deckhand.promote.PromotionService;
import dev.deckhand.readiness.RollbackReadiness;
import dev.deckhand.record.RecordHandler;
import dev.deckhand.record.RecordService;
import dev.deckhand.resolve.ResolveEnvironmentHandler;
import dev.deckhand.rollback.RollbackHandler;
import dev.deckhand.rollback.RollbackService;
import dev.deckhand.wait.EventJudge;
import dev.deckhand.wait.WaitKey;
import dev.deckhand.wait.WaitRouter;
import dev.deckhand.wait.WaitRouterHandler;
import dev.deckhand.wait.Waits;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one place Deckhand's services are built from their adapters. On AWS, {@link Environment}
 * builds it from the variables the CDK app sets (once per container, for the handlers' no-argument
 * constructors); the local Deckhand builds one per function from the local cloud (the function's
 * own credentials, the simulated clock, the loopback load balancer). What differs between the two is
 * only what {@link Parts} holds.
 */
public final class Wiring {

    /**
     * What a deployment of Deckhand provides. Names are read when a service needs them (a Lambda
     * function's environment holds only the variables of its own {@link DeployerFunction#access()}).
     *
     * @param clients the function's AWS clients (its role's credentials)
     * @param roles the function's cache of deployment-role sessions, for cross-account targets
     * @param gitHubApi GitHub's API root for the github target; empty: no GitHub channel
     * @param apiUrl the deployment API's URL (a GitHub deployment's log_url); null when unknown
     * @param pause how the health check waits between the probes of a round
     * @param hook Deckhand's lifecycle-hook function and the role ECS invokes it with; null where none is deployed
     */
    public record Parts(AwsClients clients, AssumedRoles roles, Clock clock, Supplier<ConfigurationSource> configuration,
            Supplier<String> historyTable, Supplier<String> locksTable, Supplier<String> waitsTable,
            Supplier<String> freezesTable,
            Supplier<String> topicArn, Supplier<String> eventBus, Optional<URI> gitHubApi, URI apiUrl,
            Supplier<MetricsSink> metrics, HealthProbe probe, HealthCheck.Pause pause, Supplier<String> stateMachineArn,
            Supplier<HookFunction> hook) {
    }

    private final Parts parts;

    public Wiring(Parts parts) {
        this.parts = parts;
    }

    /**
     * The handler of one function of the catalogue that takes JSON streams (every one but the
     * deployment API), wired with these parts: what the Lambda runtime gets from the handler's
     * no-argument constructor, which asks {@link Environment#wiring()}.
     */
    public RequestStreamHandler handler(DeployerFunction function) {
        return switch (function) {
            case RESOLVE_ENVIRONMENT -> new ResolveEnvironmentHandler(configurationSource(), imageRegistry(), history());
            case COORDINATE -> new CoordinateHandler(coordinationService());
            case DEPLOY -> new DeployHandler(deployServices(), waitRouter());
            case MIGRATION -> new MigrationHandler(migrationServices(), waitRouter());
            case WAIT_ROUTER -> new WaitRouterHandler(waitRouter());
            case HEALTH_CHECK -> new HealthCheckHandler(healthVerification());
            case ROLLBACK -> new RollbackHandler(rollbackServices());
            case RECORD -> new RecordHandler(recordService(), coordinationService());
            case NOTIFY -> new NotifyHandler(notifyService());
            case LOCK_CLEANUP -> new LockCleanupHandler(coordinationService(), waits());
            // API Gateway's proxy events, not a stream: see deploymentApi().
            case LIFECYCLE_HOOK -> new LifecycleHookHandler(lifecycleHook());
            case DEPLOYMENT_API -> throw new IllegalArgumentException(
                    "the deployment API is served behind API Gateway: wire it with deploymentApi()");
        };
    }

    public ConfigurationSource configurationSource() {
        return parts.configuration().get();
    }

    public ImageRegistry imageRegistry() {
        return new EcrImageRegistry(parts.clients().ecr());
    }

    public DeploymentHistory history() {
        return new DynamoDbDeploymentHistory(parts.clients().dynamoDb(), parts.historyTable().get());
    }

    /** Per target: a cross-account environment's ECS through its deployment role. */
    public Function<DeploymentTarget, DeployService> deployServices() {
        return perTarget("deploy", this::deployService);
    }

    /** Per target: a cross-account environment's ECS and Logs through its deployment role. */
    public Function<DeploymentTarget, MigrationService> migrationServices() {
        return perTarget("migration", where ->
                new MigrationService(new EcsMigrationTasks(where.ecs(), where.logs()), parts.clock()));
    }

    /** Per target: ECS through the deployment role; the history and ECR stay Deckhand's own. */
    public Function<DeploymentTarget, RollbackService> rollbackServices() {
        return perTarget("rollback", where -> new RollbackService(history(), deployService(where),
                new EcsApiDeployments(where.ecs()), imageRegistry()));
    }

    public CoordinationService coordinationService() {
        return new CoordinationService(history(), locks(), parts.clock(), new SfnCallbacks(parts.clients().sfn()),
                freezes());
    }

    /**
     * The freezes table, named when a freeze is first looked up: only functions that check freezes
     * (coordinate, the API) have the table in their environment, while record and lock cleanup, which
     * only release locks, share the coordination service.
     */
    private DynamoDbFreezes freezes() {
        return new DynamoDbFreezes(parts.clients().dynamoDb(), parts.freezesTable());
    }

    private DynamoDbDeploymentLocks locks() {
        return new DynamoDbDeploymentLocks(parts.clients().dynamoDb(), parts.locksTable().get());
    }

    public Waits waits() {
        return new DynamoDbWaits(parts.clients().dynamoDb(), parts.waitsTable().get());
    }

    /** Deckhand's own waits and callbacks, with the judges of ECS's final events. */
    public WaitRouter waitRouter() {
        return new WaitRouter(waits(), new SfnCallbacks(parts.clients().sfn()), parts.clock(), ecsJudges());
    }

    /** Who judges the final events of each kind of wait: a rollout's, a one-off task's. */
    public static Map<String, EventJudge> ecsJudges() {
        return Map.of(WaitKey.ROLLOUT, new RolloutEvents(), WaitKey.TASK, new MigrationEvents());
    }

    public HealthVerification healthVerification() {
        return new HealthVerification(healthCheck());
    }

    /** The same health judge as "Verify health", answering ECS at a deployment's lifecycle stages. */
    public LifecycleHook lifecycleHook() {
        return new LifecycleHook(healthCheck(), hookAnswers());
    }

    /**
     * The hook's FAILED answers, kept beside the waits (ECS keeps only the hook's status); the table is
     * named on first use, since rollback shares the deploy service but never reads them.
     */
    public HookAnswers hookAnswers() {
        return new DynamoDbHookAnswers(parts.clients().dynamoDb(), parts.waitsTable(), parts.clock());
    }

    private HealthCheck healthCheck() {
        return new HealthCheck(parts.probe(), parts.pause());
    }

    public RecordService recordService() {
        AwsClients clients = parts.clients();
        return new RecordService(history(), parts.clock(), Optional.of(new RevisionCleanup(configurationSource(),
                history(), new EcsApiDeployments(clients.ecs()), new EcsTaskDefinitionFamilies(clients.ecs()))));
    }

    public NotifyService notifyService() {
        AwsClients clients = parts.clients();
        List<NotificationChannel> channels = new ArrayList<>(List.of(
                new SnsChannel(clients.sns(), parts.topicArn().get()),
                new EventBridgeChannel(clients.events(), parts.eventBus().get()),
                new SlackChannel(clients.secrets())));
        parts.gitHubApi().ifPresent(gitHub -> channels.add(new GitHubChannel(clients.secrets(), gitHub, parts.apiUrl())));
        return new NotifyService(channels, parts.metrics().get(), parts.clock());
    }

    public PromotionService promotionService() {
        AwsJsonClient sfn = parts.clients().sfn();
        // The state machine's ARN is read when an execution starts (locally it exists only once the API is up).
        return new PromotionService(configurationSource(), history(),
                input -> new SfnExecutionStarter(sfn, parts.stateMachineArn().get()).start(input), imageRegistry(),
                parts.clock(), freezes());
    }

    /** Answers to the approval gate: wakes the waiting execution through its task token on the lock. */
    public ApprovalService approvalService() {
        return new ApprovalService(configurationSource(), locks(), history(), new SfnCallbacks(parts.clients().sfn()),
                parts.clock());
    }

    /** The promote, approval, rollback, status and metrics API; its metrics' period ends at the deployer's clock. */
    public DeploymentApi deploymentApi() {
        return new DeploymentApi(promotionService(), history(), parts.clock(), approvalService(), freezes());
    }

    /**
     * ECS where the target lives; the history and ECR, which rollback readiness reads, stay Deckhand's
     * own, and so do the alarm gate's alarms (read with the function's own role).
     */
    private DeployService deployService(AwsClients where) {
        return new DeployService(new EcsApiDeployments(where.ecs()), parts.clock(),
                new RollbackReadiness(history(), imageRegistry()), new CloudWatchAlarms(parts.clients().cloudWatch()),
                parts.hook().get(), hookAnswers());
    }

    private <S> Function<DeploymentTarget, S> perTarget(String function, Function<AwsClients, S> build) {
        return TargetClients.perTarget(parts.clients(), parts.roles(), function, build);
    }
}
