package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.aws.AwsClients;
import dev.deckhand.aws.EcsMigrationTasks;
import dev.deckhand.catalogue.DeployerFunction;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.iam.IamEnforcement;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * The local IAM with each function's rendered policy: a deployment passes with every call
 * authorized, and each function is refused one call outside its policy, with AWS's
 * AccessDeniedException (HTTP 400 on the JSON protocols, as ECS and DynamoDB answer it) naming
 * its assumed role, the action and the resource, and nothing changes.
 */
class IamEnforcementIT {

    private static LocalDeckhand deckhand;
    private static DeployerScenarios scenarios;

    @BeforeAll
    static void start() {
        deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start();
        scenarios = new DeployerScenarios(deckhand);
    }

    @AfterAll
    static void stop() {
        deckhand.close();
    }

    @Test
    void aDeploymentWithAMigrationPassesWithEveryCallAuthorizedAndNoneDenied() throws Exception {
        IamEnforcement iam = deckhand.iam().orElseThrow();
        long before = iam.authorized();
        int denied = iam.denials().size();
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-iam"), ImageBehaviour.healthy());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).as(execution.error() + ": " + execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(iam.authorized() - before).as("calls authorized during the deployment").isGreaterThan(20);
        assertThat(iam.denials()).hasSize(denied);
        // The seeded revision carries roles like a Fargate one, so the deployment passed them (iam:PassRole).
        TaskDefinition live = liveRevision("acme-dev", "storefront-dev");
        assertThat(live.executionRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/storefront-dev-execution");
        assertThat(live.taskRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/storefront-dev-task");
    }

    @Test
    void aServiceWhoseTaskDefinitionCarriesARoleTheConfigurationDoesNotNameFailsAtRegistrationAndNothingChanges()
            throws Exception {
        // billing-worker-staging names only billing-worker-execution; someone moved the service to a revision
        // with another execution role. Deckhand copies the live revision, so registering it passes that role.
        TaskDefinition live = liveRevision("acme-staging", "billing-worker-staging");
        String uncovered = deckhand.sdk().ecs().registerTaskDefinition(request -> request.family(live.family())
                .executionRoleArn("arn:aws:iam::123456789012:role/someone-elses-execution")
                .networkMode(live.networkMode()).requiresCompatibilities(live.requiresCompatibilities())
                .cpu(live.cpu()).memory(live.memory()).containerDefinitions(live.containerDefinitions()))
                .taskDefinition().taskDefinitionArn();
        deckhand.sdk().ecs().updateService(request -> request.cluster("acme-staging").service("billing-worker-staging")
                .taskDefinition(uncovered));
        int revisions = revisions(live.family());

        EcrImage image = deckhand.push("acme/billing-worker-staging", List.of("build-7"), ImageBehaviour.healthy());
        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        // A deployment that fails ends the execution as Deckhand.DeploymentFailed, naming function, action, resource.
        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("Deckhand.DeploymentFailed");
        assertThat(execution.cause()).contains("RegisterTaskDefinition for family billing-worker-staging was rejected",
                "AccessDeniedException", "deckhand-deploy-ecs", "iam:PassRole",
                "arn:aws:iam::123456789012:role/someone-elses-execution");
        // The progress line `push` and `up` print for it names them in full, not cut at 150 characters.
        assertThat(dev.deckhand.local.executions.ExecutionProgress.failure(execution.error(), execution.cause()))
                .isEqualTo("DeploymentFailed: IAM denied deckhand-deploy-ecs iam:PassRole on "
                        + "arn:aws:iam::123456789012:role/someone-elses-execution");
        assertThat(revisions(live.family())).isEqualTo(revisions);
        assertThat(scenarios.service("acme-staging", "billing-worker-staging").taskDefinition()).isEqualTo(uncovered);
    }

    @Test
    void resolveMayNotUpdateAService() {
        String before = liveRevision("acme-dev", "storefront-dev").taskDefinitionArn();
        assertDenied(DeployerFunction.RESOLVE_ENVIRONMENT, "ecs:UpdateService",
                "arn:aws:ecs:us-east-1:000000000000:service/acme-dev/storefront-dev",
                clients -> clients.ecs().updateService(request -> request.cluster("acme-dev").service("storefront-dev")
                        .desiredCount(0)));
        assertThat(scenarios.service("acme-dev", "storefront-dev").desiredCount()).isEqualTo(2);
        assertThat(liveRevision("acme-dev", "storefront-dev").taskDefinitionArn()).isEqualTo(before);
    }

    @Test
    void coordinateMayNotUpdateTheHistoryInPlace() {
        assertDenied(DeployerFunction.COORDINATE, "dynamodb:UpdateItem",
                "arn:aws:dynamodb:us-east-1:000000000000:table/deckhand-history",
                clients -> clients.dynamo().updateItem(request -> request.tableName(LocalDeckhand.HISTORY_TABLE)
                        .key(historyKey("iam-probe")).updateExpression("SET outcome = :o")
                        .expressionAttributeValues(Map.of(":o", AttributeValue.fromS("SUCCEEDED")))));
        assertThat(historyItem("iam-probe")).isEmpty();
    }

    @Test
    void deployMayNotRunATask() {
        int before = runningTasks("acme-dev");
        assertDenied(DeployerFunction.DEPLOY, "ecs:RunTask",
                "arn:aws:ecs:us-east-1:000000000000:task-definition/storefront-dev:1",
                clients -> clients.ecs().runTask(request -> request.cluster("acme-dev")
                        .taskDefinition("storefront-dev:1")));
        assertThat(runningTasks("acme-dev")).isEqualTo(before);
    }

    @Test
    void deployMayNotPassARoleTheConfigurationDoesNotName() {
        int before = revisions("storefront-dev");
        TaskDefinition live = liveRevision("acme-dev", "storefront-dev");
        assertDenied(DeployerFunction.DEPLOY, "iam:PassRole", "arn:aws:iam::123456789012:role/admin",
                clients -> clients.ecs().registerTaskDefinition(request -> request.family("storefront-dev")
                        .executionRoleArn("arn:aws:iam::123456789012:role/admin")
                        .networkMode(live.networkMode()).requiresCompatibilities(live.requiresCompatibilities())
                        .cpu(live.cpu()).memory(live.memory()).containerDefinitions(live.containerDefinitions())));
        assertThat(revisions("storefront-dev")).isEqualTo(before);
    }

    @Test
    void migrationMayNotUpdateAService() {
        assertDenied(DeployerFunction.MIGRATION, "ecs:UpdateService",
                "arn:aws:ecs:us-east-1:000000000000:service/acme-prod/storefront-prod",
                clients -> clients.ecs().updateService(request -> request.cluster("acme-prod").service("storefront-prod")
                        .desiredCount(0)));
        assertThat(scenarios.service("acme-prod", "storefront-prod").desiredCount()).isEqualTo(2);
    }

    @Test
    void migrationMayStopTheTasksItTaggedAtRunTaskButNotAServicesTask() {
        // Service Authorization Reference for Amazon ECS: the task resource type carries ecs:ResourceTag/<key>,
        // so the role's StopTask is conditioned on the tag RunTask puts on migration tasks; tagging at RunTask
        // needs ecs:TagResource with ecs:CreateAction=RunTask (supported-iam-actions-tagging).
        SdkClients migration = deckhand.sdkClientsOf(DeployerFunction.MIGRATION);
        software.amazon.awssdk.services.ecs.model.Service prod = scenarios.service("acme-prod", "storefront-prod");
        String own = migration.ecs().runTask(request -> request.cluster("acme-prod").taskDefinition(prod.taskDefinition())
                .networkConfiguration(prod.networkConfiguration()).startedBy(EcsMigrationTasks.STARTED_BY)
                .tags(tag -> tag.key(EcsMigrationTasks.TAG_KEY).value(EcsMigrationTasks.TAG_VALUE)))
                .tasks().get(0).taskArn();
        assertThat(migration.ecs().stopTask(request -> request.cluster("acme-prod").task(own).reason("iam probe"))
                .task().desiredStatus()).isEqualTo("STOPPED");

        String serving = deckhand.sdk().ecs().listTasks(request -> request.cluster("acme-prod")
                .serviceName("storefront-prod")).taskArns().get(0);
        assertDenied(DeployerFunction.MIGRATION, "ecs:StopTask", serving,
                clients -> clients.ecs().stopTask(request -> request.cluster("acme-prod").task(serving)));
        assertThat(deckhand.sdk().ecs().describeTasks(request -> request.cluster("acme-prod").tasks(serving))
                .tasks().get(0).desiredStatus()).isEqualTo("RUNNING");
    }

    @Test
    void healthCheckMayCallNoAwsApiAtAll() {
        assertDenied(DeployerFunction.HEALTH_CHECK, "dynamodb:GetItem",
                "arn:aws:dynamodb:us-east-1:000000000000:table/deckhand-history",
                clients -> clients.dynamo().getItem(request -> request.tableName(LocalDeckhand.HISTORY_TABLE)
                        .key(historyKey("iam-probe"))));
    }

    /**
     * The hook keeps its answer with its own role (API_UpdateItem creates the item), "Check the
     * rollout" reads it with Deploy's (API_GetItem, ConsistentRead); an answer never kept reads as
     * none (GetItem returns no Item). The table's TTL attribute forgets it after two days.
     */
    @Test
    void theHookKeepsItsAnswerWithItsOwnRoleAndDeployReadsIt() {
        String revision = "arn:aws:ecs:us-east-1:000000000000:service-revision/acme-dev/api-dev/iam-probe";
        java.time.Clock clock = java.time.Clock.systemUTC();
        new dev.deckhand.aws.DynamoDbHookAnswers(clientsOf(DeployerFunction.LIFECYCLE_HOOK).dynamoDb(),
                LocalDeckhand.WAITS_TABLE, clock).record(revision, "the hook answered FAILED at BAKE_TIME");
        dev.deckhand.aws.DynamoDbHookAnswers read = new dev.deckhand.aws.DynamoDbHookAnswers(
                clientsOf(DeployerFunction.DEPLOY).dynamoDb(), LocalDeckhand.WAITS_TABLE, clock);

        assertThat(read.last(revision)).contains("the hook answered FAILED at BAKE_TIME");
        assertThat(read.last(revision + "-never-hooked")).isEmpty();
        Map<String, AttributeValue> item = deckhand.sdk().dynamo().getItem(request -> request
                .tableName(LocalDeckhand.WAITS_TABLE).key(Map.of("waitKey", AttributeValue.fromS("HOOK#" + revision))))
                .item();
        assertThat(Long.parseLong(item.get("expiresAt").n())).as("epoch seconds, two days on")
                .isBetween(clock.instant().plus(java.time.Duration.ofDays(2)).getEpochSecond() - 60,
                        clock.instant().plus(java.time.Duration.ofDays(2)).getEpochSecond());
        assertThat(item).doesNotContainKey("executionArn");
    }

    /**
     * The hook only keeps its answers: UpdateItem on the waits table (list_amazondynamodb). It may
     * neither read the waits (their task tokens) nor touch the history.
     */
    @Test
    void lifecycleHookMayNeitherReadTheWaitsNorWriteTheHistory() {
        assertDenied(DeployerFunction.LIFECYCLE_HOOK, "dynamodb:GetItem",
                "arn:aws:dynamodb:us-east-1:000000000000:table/deckhand-waits",
                clients -> clients.dynamo().getItem(request -> request.tableName(LocalDeckhand.WAITS_TABLE)
                        .key(Map.of("waitKey", AttributeValue.builder().s("ROLLOUT#ecs-svc/1").build()))));
        assertDenied(DeployerFunction.LIFECYCLE_HOOK, "dynamodb:UpdateItem",
                "arn:aws:dynamodb:us-east-1:000000000000:table/deckhand-history",
                clients -> clients.dynamo().updateItem(request -> request.tableName(LocalDeckhand.HISTORY_TABLE)
                        .key(historyKey("iam-probe")).updateExpression("SET outcome = :o")
                        .expressionAttributeValues(Map.of(":o", AttributeValue.builder().s("SUCCEEDED").build()))));
    }

    @Test
    void rollbackMayNotRunATask() {
        int before = runningTasks("acme-staging");
        assertDenied(DeployerFunction.ROLLBACK, "ecs:RunTask",
                "arn:aws:ecs:us-east-1:000000000000:task-definition/storefront-staging:1",
                clients -> clients.ecs().runTask(request -> request.cluster("acme-staging")
                        .taskDefinition("storefront-staging:1")));
        assertThat(runningTasks("acme-staging")).isEqualTo(before);
    }

    @Test
    void recordMayNotTouchTheLocks() {
        assertDenied(DeployerFunction.RECORD, "dynamodb:PutItem",
                "arn:aws:dynamodb:us-east-1:000000000000:table/deckhand-locks",
                clients -> clients.dynamo().putItem(request -> request.tableName(LocalDeckhand.LOCKS_TABLE)
                        .item(Map.of("pk", AttributeValue.fromS("LOCK#iam-probe")))));
        assertThat(deckhand.sdk().dynamo().scan(request -> request.tableName(LocalDeckhand.LOCKS_TABLE)).items())
                .noneMatch(item -> item.toString().contains("iam-probe"));
    }

    @Test
    void notifyMayNotPutEventsUnderAnotherApplicationsSource() {
        int before = deckhand.cloud().events().events().size();
        // eb-use-conditions: the role may put events only with Deckhand's own source (events:source).
        assertDenied(DeployerFunction.NOTIFY, "events:PutEvents",
                "arn:aws:events:us-east-1:000000000000:event-bus/default",
                clients -> clients.events().call("PutEvents", dev.deckhand.json.DeckhandJson.MAPPER.createObjectNode()
                        .set("Entries", dev.deckhand.json.DeckhandJson.MAPPER.createArrayNode().add(
                                dev.deckhand.json.DeckhandJson.MAPPER.createObjectNode().put("Source", "aws.ecr")
                                        .put("DetailType", "ECR Image Action").put("Detail", "{}")))));
        assertThat(deckhand.cloud().events().events()).hasSize(before);
    }

    @Test
    void coordinateMayReadTheAdHocFreezesButNotFreezeAnything() {
        // Coordinate's FREEZES_READ is GetItem only; PutItem is authorized on the table resource
        // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html).
        assertDenied(DeployerFunction.COORDINATE, "dynamodb:PutItem",
                "arn:aws:dynamodb:us-east-1:000000000000:table/deckhand-freezes",
                clients -> clients.dynamo().putItem(request -> request.tableName(LocalDeckhand.FREEZES_TABLE)
                        .item(Map.of("freezeKey", AttributeValue.fromS("iam-probe#dev")))));
        assertThat(deckhand.sdk().dynamo().scan(request -> request.tableName(LocalDeckhand.FREEZES_TABLE)).items())
                .isEmpty();
        assertDenied(DeployerFunction.RECORD, "dynamodb:GetItem",
                "arn:aws:dynamodb:us-east-1:000000000000:table/deckhand-freezes",
                clients -> clients.dynamo().getItem(request -> request.tableName(LocalDeckhand.FREEZES_TABLE)
                        .key(Map.of("freezeKey", AttributeValue.fromS("storefront#dev")))));
    }

    @Test
    void lockCleanupMayNotTakeALock() {
        assertDenied(DeployerFunction.LOCK_CLEANUP, "dynamodb:PutItem",
                "arn:aws:dynamodb:us-east-1:000000000000:table/deckhand-locks",
                clients -> clients.dynamo().putItem(request -> request.tableName(LocalDeckhand.LOCKS_TABLE)
                        .item(Map.of("pk", AttributeValue.fromS("LOCK#iam-cleanup-probe")))));
        assertThat(deckhand.sdk().dynamo().scan(request -> request.tableName(LocalDeckhand.LOCKS_TABLE)).items())
                .noneMatch(item -> item.toString().contains("iam-cleanup-probe"));
    }

    @Test
    void waitRouterMayWakeTheDeployerButNotTouchAService() {
        // The router only stores tokens and wakes them: the check after a wake reads ECS, not the router.
        assertDenied(DeployerFunction.WAIT_ROUTER, "ecs:UpdateService",
                "arn:aws:ecs:us-east-1:000000000000:service/acme-dev/storefront-dev",
                clients -> clients.ecs().updateService(request -> request.cluster("acme-dev").service("storefront-dev")
                        .desiredCount(0)));
        assertThat(deckhand.sdk().ecs().describeServices(request -> request.cluster("acme-dev").services("storefront-dev"))
                .services().get(0).desiredCount()).isEqualTo(2);
    }

    @Test
    void theDeploymentApiMayNotUpdateAService() {
        assertDenied(DeployerFunction.DEPLOYMENT_API, "ecs:UpdateService",
                "arn:aws:ecs:us-east-1:000000000000:service/acme-dev/storefront-dev",
                clients -> clients.ecs().updateService(request -> request.cluster("acme-dev").service("storefront-dev")
                        .desiredCount(0)));
        assertThat(scenarios.service("acme-dev", "storefront-dev").desiredCount()).isEqualTo(2);
    }

    @Test
    void aCallNoAuthorizationRuleDescribesIsRefusedForAFunction() {
        // Fail closed: DeleteService is called by no handler, so the action table has no row for it.
        assertDenied(DeployerFunction.DEPLOY, "ecs:DeleteService", "*",
                clients -> clients.ecs().deleteService(request -> request.cluster("acme-dev").service("storefront-dev")));
        assertThat(scenarios.service("acme-dev", "storefront-dev").status()).isEqualTo("ACTIVE");
    }

    @Test
    void requestsWithoutAFunctionIdentityActAsTheAccountsAdministrator() {
        assertThat(deckhand.sdk().ecs().listTasks(request -> request.cluster("acme-dev")).taskArns()).isNotNull();
    }

    private interface Call {
        void run(RoleClients clients);
    }

    /** A function role's clients: Deckhand's own (as its handlers call AWS) and the SDK's generated ones. */
    private record RoleClients(AwsClients aws, SdkClients sdk) {
        software.amazon.awssdk.services.ecs.EcsClient ecs() {
            return sdk.ecs();
        }

        software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo() {
            return sdk.dynamo();
        }

        dev.deckhand.aws.AwsJsonClient events() {
            return aws.events();
        }
    }

    private static AwsClients clientsOf(DeployerFunction function) {
        return AwsClients.forEndpoint(deckhand.cloud().endpoint(), Region.of(deckhand.cloud().region()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalDeckhand.accessKeyOf(function),
                        LocalDeckhand.SECRET_ACCESS_KEY)));
    }

    private static void assertDenied(DeployerFunction function, String action, String resource, Call call) {
        RoleClients clients = new RoleClients(clientsOf(function), deckhand.sdkClientsOf(function));
        assertThatThrownBy(() -> call.run(clients)).isInstanceOfSatisfying(AwsServiceException.class, denied -> {
            assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(denied.statusCode()).isEqualTo(400);
            assertThat(denied.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:sts::000000000000:assumed-role/"
                    + "deckhand-" + function.functionName() + "Role/" + session(function)
                    + " is not authorized to perform: " + action + " on resource: " + resource
                    + " because no identity-based policy allows the " + action + " action"
                    + (action.equals("ecs:DeleteService")
                            ? " (the local cloud has no authorization rule for it: add one to ActionTable)" : ""));
        });
        assertThat(deckhand.iam().orElseThrow().denials())
                .contains(new IamEnforcement.Denial(session(function), action, resource));
    }

    /** The role session a function's requests carry: its local name, which may hold no space. */
    private static String session(DeployerFunction function) {
        return Functions.name(function).replace(' ', '-');
    }

    private static TaskDefinition liveRevision(String cluster, String service) {
        String arn = scenarios.service(cluster, service).taskDefinition();
        return deckhand.sdk().ecs().describeTaskDefinition(request -> request.taskDefinition(arn)).taskDefinition();
    }

    private static int revisions(String family) {
        return deckhand.sdk().ecs().listTaskDefinitions(request -> request.familyPrefix(family)).taskDefinitionArns().size();
    }

    private static int runningTasks(String cluster) {
        return deckhand.sdk().ecs().listTasks(request -> request.cluster(cluster)).taskArns().size();
    }

    private static Map<String, AttributeValue> historyKey(String id) {
        return Map.of("pk", AttributeValue.fromS("DEPLOYMENT#" + id), "sk", AttributeValue.fromS("LATEST"));
    }

    private static Map<String, AttributeValue> historyItem(String id) {
        return deckhand.sdk().dynamo().getItem(request -> request.tableName(LocalDeckhand.HISTORY_TABLE)
                .key(historyKey(id))).item();
    }
}
