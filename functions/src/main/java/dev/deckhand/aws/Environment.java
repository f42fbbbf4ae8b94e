package dev.deckhand.aws;

import dev.deckhand.cleanup.RevisionCleanup;
import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.coordinate.CoordinationService;
import dev.deckhand.deploy.DeployService;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.deployment.ImageRegistry;
import dev.deckhand.migrate.MigrationService;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.notify.NotifyService;
import dev.deckhand.promote.PromotionService;
import dev.deckhand.readiness.RollbackReadiness;
import dev.deckhand.record.RecordService;
import dev.deckhand.rollback.RollbackService;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Wiring from the Lambda environment the CDK app sets: every variable a handler reads is named
 * here. Used only by the handlers' no-argument constructors (once per container); tests and the
 * local cloud construct the services with their own adapters.
 */
public final class Environment {

    /** The SSM parameter holding {@code deckhand.yml}. */
    public static final String CONFIG_PARAMETER = "DECKHAND_CONFIG_PARAMETER";
    /** Alternatively, a file holding {@code deckhand.yml} (e.g. packaged with the function). */
    public static final String CONFIG_FILE = "DECKHAND_CONFIG_FILE";
    /** The DynamoDB table of the deployment history. */
    public static final String HISTORY_TABLE = "DECKHAND_HISTORY_TABLE";
    /** The DynamoDB table of the per-target locks. */
    public static final String LOCKS_TABLE = "DECKHAND_LOCKS_TABLE";
    /** The SNS topic every outcome is published to. */
    public static final String TOPIC_ARN = "DECKHAND_TOPIC_ARN";
    /** The EventBridge bus outcome events go to; {@code default} unless set. */
    public static final String EVENT_BUS = "DECKHAND_EVENT_BUS";
    /** The deployer state machine, which the promote API starts. */
    public static final String STATE_MACHINE_ARN = "DECKHAND_STATE_MACHINE_ARN";
    /** GitHub's API root for the github notification target (a GitHub Enterprise Server's); api.github.com when unset. */
    public static final String GITHUB_API_URL = "DECKHAND_GITHUB_API_URL";
    /** The deployment API's URL, whose /deployments/{id} is a GitHub deployment's log_url; none when unset. */
    public static final String API_URL = "DECKHAND_API_URL";
    /** The waits table: which task token waits for which ECS event. */
    public static final String WAITS_TABLE = "DECKHAND_WAITS_TABLE";

    /** The CloudFormation stack the CDK app deploys unless told another name. */
    public static final String DEFAULT_STACK_NAME = "Deckhand";

    private static AwsClients clients;
    private static AssumedRoles roles;

    /** The SSM parameter that holds {@code deckhand.yml} for a stack (the CDK app writes it; the local Deckhand too). */
    public static String configurationParameterName(String stackName) {
        return "/deckhand/" + stackName + "/configuration";
    }

    private Environment() {
    }

    public static ConfigurationSource configurationSource() {
        String parameter = System.getenv(CONFIG_PARAMETER);
        if (parameter != null && !parameter.isBlank()) {
            return new SsmConfigurationSource(aws().ssm(), parameter);
        }
        String file = System.getenv(CONFIG_FILE);
        if (file != null && !file.isBlank()) {
            return () -> ConfigurationLoader.load(Path.of(file));
        }
        throw new IllegalStateException("set " + CONFIG_PARAMETER + " (an SSM parameter name) or " + CONFIG_FILE
                + " (a file path) to tell Deckhand where its configuration is");
    }

    public static ImageRegistry imageRegistry() {
        return new SdkImageRegistry(aws().ecr());
    }

    /** Per target: a cross-account environment's ECS through its deployment role. */
    public static Function<DeploymentTarget, DeployService> deployServices() {
        return perAccount("deploy", Environment::deployService);
    }

    /** Per target: a cross-account environment's ECS and Logs through its deployment role. */
    public static Function<DeploymentTarget, MigrationService> migrationServices() {
        return perAccount("migration", Environment::migrationService);
    }

    /** Per target: ECS through the deployment role; the history and ECR stay Deckhand's own. */
    public static Function<DeploymentTarget, RollbackService> rollbackServices() {
        return perAccount("rollback", Environment::rollbackService);
    }

    /** ECS where the target lives; the history and ECR, which rollback readiness reads, stay Deckhand's own. */
    private static DeployService deployService(AwsClients where) {
        return new DeployService(new SdkEcsDeployments(where.ecs()), Clock.systemUTC(),
                new RollbackReadiness(history(), imageRegistry()));
    }

    private static MigrationService migrationService(AwsClients where) {
        return new MigrationService(new SdkMigrationTasks(where.ecs(), where.logs()), Clock.systemUTC());
    }

    private static RollbackService rollbackService(AwsClients where) {
        SdkEcsDeployments ecs = new SdkEcsDeployments(where.ecs());
        return new RollbackService(history(), deployService(where), ecs, imageRegistry());
    }

    private static <S> Function<DeploymentTarget, S> perAccount(String function, Function<AwsClients, S> build) {
        return TargetClients.perTarget(aws(), assumedRoles(), function, build);
    }

    private static synchronized AssumedRoles assumedRoles() {
        if (roles == null) {
            roles = new AssumedRoles(aws().sts(), Clock.systemUTC());
        }
        return roles;
    }

    public static CoordinationService coordinationService() {
        return new CoordinationService(history(), new DynamoDbDeploymentLocks(aws().dynamo(), required(LOCKS_TABLE)),
                Clock.systemUTC(), new SfnCallbacks(aws().sfn()));
    }

    public static NotifyService notifyService() {
        String bus = System.getenv(EVENT_BUS);
        return new NotifyService(List.of(
                new SnsChannel(aws().sns(), required(TOPIC_ARN)),
                new EventBridgeChannel(aws().events(), bus == null || bus.isBlank() ? "default" : bus),
                new SlackChannel(aws().secrets()),
                new GitHubChannel(aws().secrets(), uri(GITHUB_API_URL, GitHubChannel.GITHUB_API), uri(API_URL, null))),
                new PowertoolsMetricsSink(), Clock.systemUTC());
    }

    private static java.net.URI uri(String variable, java.net.URI fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : java.net.URI.create(value);
    }

    public static RecordService recordService() {
        return new RecordService(history(), Clock.systemUTC(), Optional.of(new RevisionCleanup(
                configurationSource(), history(), new SdkEcsDeployments(aws().ecs()),
                new SdkTaskDefinitionFamilies(aws().ecs()))));
    }

    public static PromotionService promotionService() {
        return new PromotionService(configurationSource(), history(),
                new SfnExecutionStarter(aws().sfn(), required(STATE_MACHINE_ARN)), imageRegistry());
    }

    public static dev.deckhand.wait.Waits waits() {
        return new DynamoDbWaits(aws().dynamo(), required(WAITS_TABLE));
    }

    public static dev.deckhand.wait.WaitRouter waitRouter() {
        return new dev.deckhand.wait.WaitRouter(new DynamoDbWaits(aws().dynamo(), required(WAITS_TABLE)),
                new SfnCallbacks(aws().sfn()), Clock.systemUTC(), ecsJudges());
    }

    /** Who judges the final events of each kind of wait: a rollout's, a one-off task's. */
    public static java.util.Map<String, dev.deckhand.wait.EventJudge> ecsJudges() {
        return java.util.Map.of(dev.deckhand.wait.WaitKey.ROLLOUT, new dev.deckhand.deploy.RolloutEvents(),
                dev.deckhand.wait.WaitKey.TASK, new dev.deckhand.migrate.MigrationEvents());
    }

    public static DeploymentHistory deploymentHistory() {
        return history();
    }

    private static DynamoDbDeploymentHistory history() {
        return new DynamoDbDeploymentHistory(aws().dynamo(), required(HISTORY_TABLE));
    }

    private static synchronized AwsClients aws() {
        if (clients == null) {
            clients = AwsClients.fromEnvironment();
        }
        return clients;
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set; the CDK app sets it on every Deckhand function");
        }
        return value;
    }
}
