package dev.deckhand.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.catalogue.DeployerFunction;
import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.events.DeadExecutionPattern;
import dev.deckhand.events.EcrPushPattern;
import dev.deckhand.notify.OutcomeMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthesized template, read as JSON: one synthesis for the whole class. */
class DeckhandStackIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static JsonNode resources;
    private static DeckhandStack stack;

    @BeforeAll
    static void synthesize() {
        stack = TestInstallation.stack(work);
        resources = JSON.valueToTree(software.amazon.awscdk.assertions.Template.fromStack(stack).toJSON())
                .get("Resources");
    }

    @Test
    void everyFunctionRoleHoldsExactlyTheStatementsTheLocalCloudEnforcesBesidesItsLogsAndTracing() {
        for (DeployerFunction function : DeployerFunction.values()) {
            List<JsonNode> deployed = new ArrayList<>(statementsOfRole(roleOf(function.functionName())));
            // What Lambda itself does with a function's role, not its handler: writing its log group, X-Ray
            // (DeckhandFunction), sending a failed asynchronous event to the failure destination (the cleanup's).
            deployed.removeIf(statement -> actionsOf(List.of(statement)).stream().allMatch(action ->
                    action.startsWith("xray:") || action.equals("logs:CreateLogStream") || action.equals("logs:PutLogEvents")
                            || action.equals("sqs:SendMessage")));
            List<JsonNode> rendered = stack.renderedPolicy(function).stream()
                    .map(statement -> (JsonNode) JSON.valueToTree(stack.resolve(CdkStatements.of(statement).toStatementJson())))
                    .toList();
            assertThat(deployed).as(function.functionName()).containsExactlyInAnyOrderElementsOf(rendered);
        }
    }

    @Test
    void pushRuleDeploysExactlyThePatternTheLocalCloudUses() throws Exception {
        JsonNode rule = pushRule().get("Properties");
        String expected = EcrPushPattern.forConfiguration(ConfigurationLoader.load(TestInstallation.SAMPLE_CONFIG));

        assertThat(JSON.writeValueAsString(rule.get("EventPattern"))).isEqualTo(expected);
        assertThat(rule.has("EventBusName")).as("default bus").isFalse();
        assertThat(rule.get("EventPattern").at("/detail/repository-name").toString())
                .isEqualTo("[\"acme/billing-worker-prod\",\"acme/billing-worker-staging\",\"acme/storefront\"]");
    }

    @Test
    void pushRuleStartsTheDeployerWithRetriesAndKeepsUndeliverableEventsInTheQueue() {
        JsonNode target = pushRule().at("/Properties/Targets/0");
        assertThat(target.at("/Arn/Ref").asText()).isEqualTo(logicalId("AWS::StepFunctions::StateMachine"));
        assertThat(target.at("/RetryPolicy/MaximumRetryAttempts").asInt()).isEqualTo(185);
        assertThat(target.at("/RetryPolicy/MaximumEventAgeInSeconds").asInt()).isEqualTo(86_400);
        assertThat(target.at("/DeadLetterConfig/Arn/Fn::GetAtt/0").asText()).isEqualTo(logicalId("AWS::SQS::Queue"));

        JsonNode send = statements(only("AWS::SQS::QueuePolicy").at("/Properties/PolicyDocument")).stream()
                .filter(statement -> statement.get("Action").asText().equals("sqs:SendMessage")).findFirst().orElseThrow();
        assertThat(send.at("/Principal/Service").asText()).isEqualTo("events.amazonaws.com");
        assertThat(send.at("/Condition/ArnEquals/aws:SourceArn/Fn::GetAtt/0").asText())
                .isEqualTo(logicalIdStartingWith("AWS::Events::Rule", "PushTrigger"));
    }

    @Test
    void deployerIsAStandardStateMachineWithTracingAndFullLogging() {
        JsonNode machine = only("AWS::StepFunctions::StateMachine").get("Properties");
        assertThat(machine.get("StateMachineType").asText()).isEqualTo("STANDARD");
        assertThat(machine.at("/TracingConfiguration/Enabled").asBoolean()).isTrue();
        assertThat(machine.at("/LoggingConfiguration/Level").asText()).isEqualTo("ALL");
        assertThat(machine.at("/LoggingConfiguration/IncludeExecutionData").asBoolean()).isTrue();
    }

    @Test
    void definitionIsTheFileAsWrittenWithEachStepFunctionsPublishedAliasSubstituted() throws Exception {
        JsonNode machine = only("AWS::StepFunctions::StateMachine").get("Properties");
        assertThat(machine.get("DefinitionString").asText()).isEqualTo(Files.readString(TestInstallation.DEFINITION));

        List<String> names = new ArrayList<>();
        machine.get("DefinitionSubstitutions").fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("ResolveEnvironmentFunctionArn", "CoordinateFunctionArn",
                "DeployFunctionArn", "MigrationFunctionArn", "WaitRouterFunctionArn", "HealthCheckFunctionArn",
                "RollbackFunctionArn", "RecordFunctionArn", "NotifyFunctionArn");
        for (FunctionSpec spec : TestInstallation.settings(work).steps()) {
            assertThat(machine.at("/DefinitionSubstitutions/" + spec.substitution() + "/Ref").asText())
                    .as(spec.substitution()).isEqualTo(logicalIdStartingWith("AWS::Lambda::Alias", spec.name() + "Alias"));
        }
    }

    @Test
    void deployerMayInvokeEachStepFunctionOnlyThroughItsPublishedAlias() {
        String role = only("AWS::StepFunctions::StateMachine").at("/Properties/RoleArn/Fn::GetAtt/0").asText();
        JsonNode invoke = withAction(statementsOfRole(role), "lambda:InvokeFunction");
        List<String> targets = new ArrayList<>();
        invoke.get("Resource").forEach(resource -> targets.add(resource.at("/Ref").asText()));
        List<String> expected = TestInstallation.settings(work).steps().stream()
                .map(spec -> logicalIdStartingWith("AWS::Lambda::Alias", spec.name() + "Alias")).toList();
        assertThat(targets).hasSize(9).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyFunctionRunsJava21OnArm64WithSnapStartAPowertoolsEnvironmentAndItsOwnRoleAndLogGroup() {
        List<JsonNode> functions = ofType("AWS::Lambda::Function");
        // The deployer's steps, the lock cleanup, the promote API's and the lifecycle hook.
        assertThat(functions).hasSize(TestInstallation.settings(work).steps().size() + 3);
        List<String> roles = new ArrayList<>();
        for (JsonNode function : functions) {
            JsonNode properties = function.get("Properties");
            assertThat(properties.get("Runtime").asText()).isEqualTo("java21");
            assertThat(properties.get("Architectures").toString()).isEqualTo("[\"arm64\"]");
            assertThat(properties.at("/SnapStart/ApplyOn").asText()).isEqualTo("PublishedVersions");
            assertThat(properties.get("MemorySize").asInt()).isEqualTo(1024);
            assertThat(properties.at("/TracingConfig/Mode").asText()).isEqualTo("Active");
            JsonNode variables = properties.at("/Environment/Variables");
            assertThat(variables.get("POWERTOOLS_SERVICE_NAME").asText()).isEqualTo("deckhand");
            assertThat(variables.get("POWERTOOLS_LOG_LEVEL").asText()).isEqualTo("INFO");
            assertThat(variables.get("POWERTOOLS_METRICS_NAMESPACE").asText()).isEqualTo("Deckhand");
            assertThat(resources.get(properties.at("/LoggingConfig/LogGroup/Ref").asText()).at("/Properties/RetentionInDays").asInt())
                    .isEqualTo(90);
            roles.add(properties.at("/Role/Fn::GetAtt/0").asText());
        }
        assertThat(roles).doesNotHaveDuplicates();
        assertThat(ofType("AWS::Lambda::Alias")).allSatisfy(alias ->
                assertThat(alias.at("/Properties/Name").asText()).isEqualTo(DeckhandFunction.ALIAS));
    }

    @Test
    void eachFunctionIsToldWhereExactlyTheResourcesItMayTouchAre() {
        Map<String, List<String>> expected = Map.of(
                "ResolveEnvironment", List.of("DECKHAND_CONFIG_PARAMETER", "DECKHAND_HISTORY_TABLE"),
                "Coordinate", List.of("DECKHAND_HISTORY_TABLE", "DECKHAND_LOCKS_TABLE", "DECKHAND_FREEZES_TABLE"),
                "Deploy", List.of("DECKHAND_HISTORY_TABLE", "DECKHAND_HOOK_FUNCTION_ARN", "DECKHAND_HOOK_ROLE_ARN",
                        "DECKHAND_WAITS_TABLE"),
                "Migration", List.of("DECKHAND_WAITS_TABLE"),
                "HealthCheck", List.of(),
                "Rollback", List.of("DECKHAND_HISTORY_TABLE", "DECKHAND_HOOK_FUNCTION_ARN", "DECKHAND_HOOK_ROLE_ARN"),
                "Record", List.of("DECKHAND_HISTORY_TABLE", "DECKHAND_CONFIG_PARAMETER", "DECKHAND_LOCKS_TABLE"),
                "Notify", List.of("DECKHAND_TOPIC_ARN", "DECKHAND_EVENT_BUS"),
                "LockCleanup", List.of("DECKHAND_HISTORY_TABLE", "DECKHAND_LOCKS_TABLE", "DECKHAND_WAITS_TABLE"),
                "DeploymentApi", List.of("DECKHAND_CONFIG_PARAMETER", "DECKHAND_HISTORY_TABLE", "DECKHAND_STATE_MACHINE_ARN",
                        "DECKHAND_LOCKS_TABLE", "DECKHAND_FREEZES_TABLE"));
        expected.forEach((function, deckhandVariables) -> {
            List<String> names = new ArrayList<>();
            functionProperties(function).at("/Environment/Variables").fieldNames().forEachRemaining(names::add);
            assertThat(names).as(function).filteredOn(name -> name.startsWith("DECKHAND_"))
                    .containsExactlyInAnyOrderElementsOf(deckhandVariables);
        });
        JsonNode api = functionProperties("DeploymentApi").at("/Environment/Variables");
        assertThat(api.at("/DECKHAND_STATE_MACHINE_ARN/Ref").asText()).isEqualTo(logicalId("AWS::StepFunctions::StateMachine"));
        assertThat(api.at("/DECKHAND_CONFIG_PARAMETER/Ref").asText()).isEqualTo(logicalId("AWS::SSM::Parameter"));
        assertThat(api.at("/DECKHAND_HISTORY_TABLE/Ref").asText()).isEqualTo(logicalIdStartingWith("AWS::DynamoDB::Table", "History"));
        JsonNode notify = functionProperties("Notify").at("/Environment/Variables");
        assertThat(notify.at("/DECKHAND_TOPIC_ARN/Ref").asText()).isEqualTo(logicalId("AWS::SNS::Topic"));
        assertThat(notify.at("/DECKHAND_EVENT_BUS").asText()).isEqualTo("default");
        assertThat(functionProperties("Coordinate").at("/Environment/Variables/DECKHAND_LOCKS_TABLE/Ref").asText())
                .isEqualTo(logicalIdStartingWith("AWS::DynamoDB::Table", "Locks"));
        assertThat(api.at("/DECKHAND_FREEZES_TABLE/Ref").asText()).isEqualTo(logicalIdStartingWith("AWS::DynamoDB::Table", "Freezes"));
    }

    @Test
    void eachFunctionRunsTheHandlerClassOfItsStep() {
        assertThat(functionProperties("ResolveEnvironment").get("Handler").asText())
                .isEqualTo("dev.deckhand.resolve.ResolveEnvironmentHandler::handleRequest");
        assertThat(functionProperties("Coordinate").get("Handler").asText())
                .isEqualTo("dev.deckhand.coordinate.CoordinateHandler::handleRequest");
        assertThat(functionProperties("Deploy").get("Handler").asText()).isEqualTo("dev.deckhand.deploy.DeployHandler::handleRequest");
        assertThat(functionProperties("Migration").get("Handler").asText())
                .isEqualTo("dev.deckhand.migrate.MigrationHandler::handleRequest");
        assertThat(functionProperties("HealthCheck").get("Handler").asText())
                .isEqualTo("dev.deckhand.health.HealthCheckHandler::handleRequest");
        assertThat(functionProperties("Rollback").get("Handler").asText())
                .isEqualTo("dev.deckhand.rollback.RollbackHandler::handleRequest");
        assertThat(functionProperties("Notify").get("Handler").asText()).isEqualTo("dev.deckhand.notify.NotifyHandler::handleRequest");
        assertThat(functionProperties("LockCleanup").get("Handler").asText())
                .isEqualTo("dev.deckhand.coordinate.LockCleanupHandler::handleRequest");
        assertThat(functionProperties("DeploymentApi").get("Handler").asText())
                .isEqualTo("dev.deckhand.promote.DeploymentApiHandler::handleRequest");
    }

    @Test
    void reservedConcurrencyCapsOnlyTheFunctionsThatCallEcs() {
        assertThat(functionProperties("Deploy").get("ReservedConcurrentExecutions").asInt()).isEqualTo(10);
        assertThat(functionProperties("Migration").get("ReservedConcurrentExecutions").asInt()).isEqualTo(5);
        assertThat(functionProperties("Rollback").get("ReservedConcurrentExecutions").asInt()).isEqualTo(5);
        for (String function : List.of("ResolveEnvironment", "Coordinate", "HealthCheck", "Record", "Notify", "LockCleanup",
                "DeploymentApi")) {
            assertThat(functionProperties(function).has("ReservedConcurrentExecutions")).as(function).isFalse();
        }
    }

    @Test
    void healthCheckMayRunTheLongestConfiguredProbeRoundAndNoStepOutlivesItsState() {
        // The sample's longest round: prod, 5 probes of up to 5 s, 1 s apart = 29 s, plus 10 s headroom.
        assertThat(functionProperties("HealthCheck").get("Timeout").asInt()).isEqualTo(39);
        assertThat(functionProperties("DeploymentApi").get("Timeout").asInt()).isEqualTo(29);
        for (FunctionSpec spec : TestInstallation.settings(work).steps()) {
            assertThat(functionProperties(spec.name()).get("Timeout").asInt()).as(spec.name())
                    .isLessThanOrEqualTo(DefinitionStates.shortestTimeoutOfStatesInvoking(spec.substitution()));
        }
    }

    @Test
    void noPolicyAnywhereAllowsAWildcardAction() {
        // Deny statements may use wildcards (the queue's TLS-only policy denies sqs:*); Allow never.
        List<String> actions = new ArrayList<>();
        allPolicyDocuments().forEach(document -> statements(document).stream()
                .filter(statement -> statement.get("Effect").asText().equals("Allow"))
                .forEach(statement -> values(statement.get("Action")).forEach(actions::add)));
        assertThat(actions).contains("kms:PutKeyPolicy", "ecs:UpdateService", "sts:AssumeRole", "execute-api:Invoke")
                .noneMatch(action -> action.contains("*"));
    }

    @Test
    void wildcardResourcesAreGrantedOnlyForActionsThatSupportNoResourceLevelPermissions() {
        List<String> allowed = List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                "xray:GetSamplingTargets", "ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:ListTasks",
                "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
                "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies",
                "logs:DescribeLogGroups",
                // The cleanup after a success (Service Authorization Reference for Amazon ECS: neither lists a
                // resource type).
                "ecs:ListTaskDefinitions", "ecs:DeregisterTaskDefinition",
                // Its only resource type is a container instance, which Fargate tasks have none of; the
                // statement is scoped by the ecs:cluster condition instead.
                "ecs:ListTasks");
        List<String> actionsOnAnyResource = new ArrayList<>();
        ofType("AWS::IAM::Policy").forEach(policy -> statements(policy.at("/Properties/PolicyDocument")).stream()
                .filter(statement -> values(statement.get("Resource")).contains("*"))
                .forEach(statement -> actionsOnAnyResource.addAll(values(statement.get("Action")))));
        assertThat(actionsOnAnyResource).contains("ecs:RegisterTaskDefinition", "ecs:ListTasks").isSubsetOf(allowed);
    }

    @Test
    void deployFunctionTagsOnlyTheRevisionsItRegistersAndListsTasksOnlyOnConfiguredClusters() {
        List<JsonNode> statements = statementsOfRole(roleOf("Deploy"));
        JsonNode tag = withAction(statements, "ecs:TagResource");
        assertThat(joined(tag.get("Resource")))
                .containsExactly("arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/*");
        assertThat(tag.at("/Condition/StringEquals/ecs:CreateAction").asText()).isEqualTo("RegisterTaskDefinition");

        JsonNode list = withAction(statements, "ecs:ListTasks");
        assertThat(joined(list.at("/Condition/ArnEquals/ecs:cluster"))).containsExactly(
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/acme-dev",
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/acme-prod",
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/acme-staging");
        assertThat(joined(withAction(statements, "ecs:DescribeTasks").get("Resource"))).containsExactly(
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/acme-dev/*",
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/acme-prod/*",
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/acme-staging/*");
        // Rollback readiness, checked before the service changes, reads the last verified revision: one item;
        // "Update the service" stores its wait and a check finds it by execution: writes only to the waits table;
        // "Check the rollout" reads the hook's answer there when ECS rolled back.
        assertThat(actionsOf(statements).stream().filter(action -> action.startsWith("dynamodb:")))
                .containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:GetItem", "dynamodb:Query",
                        "dynamodb:UpdateItem", "dynamodb:DeleteItem");
        String waits = logicalIdStartingWith("AWS::DynamoDB::Table", "Waits");
        assertThat(tablesWithAction(statements, "dynamodb:GetItem")).containsExactlyInAnyOrder(waits,
                logicalIdStartingWith("AWS::DynamoDB::Table", "History"));
        assertThat(withAction(statements, "dynamodb:UpdateItem").toString()).contains(waits)
                .doesNotContain(logicalIdStartingWith("AWS::DynamoDB::Table", "History"));
    }

    @Test
    void deployFunctionUpdatesOnlyTheConfiguredServicesAndPassesOnlyTheConfiguredRolesToEcsTasks() {
        List<JsonNode> statements = statementsOfRole(roleOf("Deploy"));
        JsonNode update = withAction(statements, "ecs:UpdateService");
        assertThat(joined(update.get("Resource"))).containsExactlyInAnyOrder(
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/acme-dev/storefront-dev",
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/acme-staging/storefront-staging",
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/acme-prod/storefront-prod",
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/acme-staging/billing-worker-staging",
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/acme-prod/billing-worker-prod",
                // Services created before ECS's long ARN format keep the short one: both are granted.
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/storefront-dev",
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/storefront-staging",
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/storefront-prod",
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/billing-worker-staging",
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/billing-worker-prod");
        JsonNode passRole = withAction(statements, "iam:PassRole");
        assertThat(values(passRole.get("Resource"))).containsExactlyInAnyOrder(
                "arn:aws:iam::123456789012:role/billing-worker-execution",
                "arn:aws:iam::123456789012:role/storefront-dev-task",
                "arn:aws:iam::123456789012:role/storefront-dev-execution",
                "arn:aws:iam::123456789012:role/storefront-staging-task",
                "arn:aws:iam::123456789012:role/storefront-staging-execution",
                "arn:aws:iam::123456789012:role/storefront-prod-task",
                "arn:aws:iam::123456789012:role/storefront-prod-execution");
        assertThat(passRole.at("/Condition/StringEquals/iam:PassedToService").asText())
                .isEqualTo("ecs-tasks.amazonaws.com");
        assertThat(statements).noneMatch(statement -> values(statement.get("Action")).contains("ecs:RunTask"));
    }

    @Test
    void migrationFunctionRunsTasksOnlyOnTheClustersOfEnvironmentsWithAMigration() {
        List<JsonNode> statements = statementsOfRole(roleOf("Migration"));
        JsonNode runTask = withAction(statements, "ecs:RunTask");
        assertThat(joined(withAction(statements, "ecs:StopTask").get("Resource"))).contains(
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/acme-prod/*");
        // Only the tasks RunTask tagged as migrations (SAR for Amazon ECS: task carries ecs:ResourceTag/<key>).
        assertThat(withAction(statements, "ecs:StopTask").at("/Condition/StringEquals/ecs:ResourceTag~1deckhand:task")
                .asText()).isEqualTo("migration");
        assertThat(withAction(statements, "ecs:TagResource").at("/Condition/StringEquals/ecs:CreateAction").asText())
                .isEqualTo("RunTask");
        assertThat(withAction(statements, "iam:PassRole").at("/Condition/StringEquals/iam:PassedToService").asText())
                .isEqualTo("ecs-tasks.amazonaws.com");
        // A failed migration's last log lines are read with GetLogEvents (EcsMigrationTasks); IAM names a log
        // group's streams as log-group:<name>:* (CloudWatch Logs, iam-access-control-overview-cwl).
        assertThat(joined(withAction(statements, "logs:GetLogEvents").get("Resource")))
                .containsExactly("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*");
        assertThat(joined(runTask.at("/Condition/ArnEquals/ecs:cluster"))).containsExactly(
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/acme-dev",
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/acme-prod",
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/acme-staging");
        assertThat(joined(withAction(statements, "ecs:ListTasks").at("/Condition/ArnEquals/ecs:cluster")))
                .containsExactly(
                        "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/acme-dev",
                        "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/acme-prod",
                        "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/acme-staging");
        assertThat(statements).noneMatch(statement -> values(statement.get("Action")).contains("ecs:UpdateService"));
    }

    @Test
    void resolveFunctionReadsOnlyTheConfigurationParameterAndTheConfiguredRepositoriesImages() {
        List<JsonNode> statements = statementsOfRole(roleOf("ResolveEnvironment"));
        // A rollback request is resolved from the history: item reads and the target index, never a write.
        assertThat(actionsOf(statements)).allMatch(action -> action.equals("ssm:GetParameter")
                || action.equals("ecr:DescribeImages") || action.equals("dynamodb:GetItem")
                || action.equals("dynamodb:Query") || action.startsWith("logs:") || action.startsWith("xray:"));
        JsonNode arn = withAction(statements, "ssm:GetParameter").at("/Resource/Fn::Join/1");
        assertThat(arn.get(arn.size() - 1).at("/Ref").asText()).isEqualTo(logicalId("AWS::SSM::Parameter"));
        // Service Authorization Reference for Amazon ECR: DescribeImages takes the repository resource type.
        assertThat(joined(withAction(statements, "ecr:DescribeImages").get("Resource"))).containsExactly(
                "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/acme/billing-worker-prod",
                "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/acme/billing-worker-staging",
                "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/acme/storefront");
    }

    @Test
    void healthCheckFunctionTouchesNoAwsResourceButItsLogsAndTraces() {
        assertThat(actionsOf(statementsOfRole(roleOf("HealthCheck"))))
                .allMatch(action -> action.startsWith("logs:") || action.startsWith("xray:"));
    }

    @Test
    void historyAccessIsItemLevelAndListingOnlyThroughTheTargetIndex() {
        String table = logicalIdStartingWith("AWS::DynamoDB::Table", "History");
        assertThat(actionsOf(statementsOfRole(roleOf("Rollback")))).contains("dynamodb:GetItem")
                .doesNotContain("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query");
        assertThat(actionsOf(statementsOfRole(roleOf("Record")))).contains("dynamodb:PutItem", "dynamodb:UpdateItem")
                .doesNotContain("dynamodb:Query", "dynamodb:Scan");
        // It releases the lock of a success: DeleteItem on the locks table, never on the history.
        assertThat(withAction(statementsOfRole(roleOf("Record")), "dynamodb:DeleteItem").toString())
                .contains(logicalIdStartingWith("AWS::DynamoDB::Table", "Locks")).doesNotContain(table);
        // Recording is its own step: the function that reports may not write the history.
        assertThat(actionsOf(statementsOfRole(roleOf("Notify")))).noneMatch(action -> action.startsWith("dynamodb:"));
        List<JsonNode> api = statementsOfRole(roleOf("DeploymentApi"));
        assertThat(actionsOf(api)).contains("dynamodb:GetItem", "dynamodb:Query", "states:StartExecution")
                .doesNotContain("dynamodb:UpdateItem");
        // The API writes only ad-hoc freezes.
        assertThat(tablesWithAction(api, "dynamodb:PutItem"))
                .containsExactly(logicalIdStartingWith("AWS::DynamoDB::Table", "Freezes"));
        JsonNode query = withAction(api, "dynamodb:Query");
        assertThat(query.at("/Resource/Fn::Join/1/0/Fn::GetAtt/0").asText()).isEqualTo(table);
        assertThat(query.at("/Resource/Fn::Join/1/1").asText()).isEqualTo("/index/byTarget");
        assertThat(withAction(api, "states:StartExecution").at("/Resource/Ref").asText())
                .isEqualTo(logicalId("AWS::StepFunctions::StateMachine"));
        assertThat(actionsOf(statementsOfRole(roleOf("Coordinate"))))
                .contains("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem");
    }

    @Test
    void theApiAnswersApprovalsByReadingTheLockAndWakingOnlyTheDeployer() {
        // API_SendTaskSuccess answers the "Wait for approval" token (approve and reject alike, as output);
        // scoped to the deployer as CDK's StateMachine.grantTaskResponse scopes it, nothing else granted.
        List<JsonNode> api = statementsOfRole(roleOf("DeploymentApi"));
        assertThat(withAction(api, "states:SendTaskSuccess").at("/Resource/Ref").asText())
                .isEqualTo(logicalId("AWS::StepFunctions::StateMachine"));
        assertThat(actionsOf(api)).doesNotContain("states:SendTaskFailure", "states:SendTaskHeartbeat",
                "dynamodb:UpdateItem");
        assertThat(tablesWithAction(api, "dynamodb:DeleteItem"))
                .containsExactly(logicalIdStartingWith("AWS::DynamoDB::Table", "Freezes"));
        String locks = logicalIdStartingWith("AWS::DynamoDB::Table", "Locks");
        assertThat(api.stream().filter(statement -> values(statement.get("Action")).contains("dynamodb:GetItem"))
                .map(statement -> statement.at("/Resource/Fn::GetAtt/0").asText()).toList()).contains(locks);
    }

    @Test
    void rollbackFunctionUpdatesTheConfiguredServicesChecksTheirImagesAndRunsNoTask() {
        List<JsonNode> statements = statementsOfRole(roleOf("Rollback"));
        // Each service by its long and its short ARN.
        assertThat(joined(withAction(statements, "ecs:UpdateService").get("Resource"))).hasSize(10);
        assertThat(joined(withAction(statements, "ecr:DescribeImages").get("Resource"))).hasSize(3);
        assertThat(actionsOf(statements)).contains("ecs:RegisterTaskDefinition", "iam:PassRole")
                .doesNotContain("ecs:RunTask", "ecr:BatchDeleteImage", "ecr:PutImage");
    }

    @Test
    void notifyFunctionPublishesToTheTopicAndReadsOnlyTheConfiguredSlackSecret() {
        List<JsonNode> statements = statementsOfRole(roleOf("Notify"));
        assertThat(withAction(statements, "sns:Publish").at("/Resource/Ref").asText()).isEqualTo(logicalId("AWS::SNS::Topic"));
        JsonNode putEvents = withAction(statements, "events:PutEvents");
        assertThat(joined(putEvents.get("Resource")))
                .containsExactly("arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default");
        assertThat(putEvents.at("/Condition/StringEquals/events:source").asText()).isEqualTo("deckhand");
        assertThat(actionsOf(statements)).doesNotContain("cloudwatch:PutMetricData");
        assertThat(joined(withAction(statements, "secretsmanager:GetSecretValue").get("Resource"))).containsExactly(
                "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:deckhand/slack/storefront-prod-??????");
    }

    @Test
    void ecsEventRulesHandTheConfiguredClustersEventsToWaitRouterWhichMayOnlyWakeTheDeployer() {
        String alias = logicalIdStartingWith("AWS::Lambda::Alias", "WaitRouterAlias");
        for (String id : List.of("EcsDeployments", "EcsStoppedTasks")) {
            JsonNode rule = resources.get(logicalIdStartingWith("AWS::Events::Rule", id)).get("Properties");
            assertThat(rule.at("/Targets/0/Arn/Ref").asText()).as(id).isEqualTo(alias);
            assertThat(rule.at("/EventPattern/source/0").asText()).isEqualTo("aws.ecs");
        }
        JsonNode deployments = resources.get(logicalIdStartingWith("AWS::Events::Rule", "EcsDeployments"))
                .at("/Properties/EventPattern");
        assertThat(values(deployments.at("/detail/eventName")))
                .containsExactlyInAnyOrder("SERVICE_DEPLOYMENT_COMPLETED", "SERVICE_DEPLOYMENT_FAILED");
        assertThat(deployments.at("/resources").toString()).contains("arn:*:ecs:*:*:service/acme-dev/*");

        List<JsonNode> statements = statementsOfRole(roleOf("WaitRouter"));
        assertThat(withAction(statements, "states:SendTaskSuccess").at("/Resource/Ref").asText())
                .isEqualTo(logicalId("AWS::StepFunctions::StateMachine"));
        assertThat(withAction(statements, "dynamodb:UpdateItem").at("/Resource/Fn::GetAtt/0").asText())
                .isEqualTo(logicalIdStartingWith("AWS::DynamoDB::Table", "Waits"));
        assertThat(statements).noneMatch(statement -> values(statement.get("Action")).stream()
                .anyMatch(action -> action.startsWith("ecs:")));
    }

    /**
     * The lifecycle hook keeps its FAILED answers in the waits table (UpdateItem), "Check the rollout"
     * reads them there (GetItem): Service Authorization Reference, list_amazondynamodb, both on the
     * table resource type. Neither may touch the history.
     */
    @Test
    void theHookMayOnlyUpdateItemsOfTheWaitsTableAndDeployMayReadThem() {
        String waits = logicalIdStartingWith("AWS::DynamoDB::Table", "Waits");
        List<JsonNode> hook = statementsOfRole(roleOf("LifecycleHook"));
        assertThat(actionsOf(hook)).filteredOn(action -> !action.startsWith("xray:") && !action.startsWith("logs:"))
                .containsExactly("dynamodb:UpdateItem");
        assertThat(tablesWithAction(hook, "dynamodb:UpdateItem")).containsExactly(waits);
        assertThat(tablesWithAction(statementsOfRole(roleOf("Deploy")), "dynamodb:GetItem")).contains(waits);
    }

    @Test
    void aSingleAccountInstallationLetsNoOtherAccountPutEventsOnItsBus() {
        // The default bus accepts only its own account's events until a resource policy allows others
        // (EventBridge user guide, "Permissions for event buses in Amazon EventBridge").
        assertThat(TestInstallation.ofType(resources, "AWS::Events::EventBusPolicy")).isEmpty();
    }

    @Test
    void lockCleanupFindsADeadExecutionsWaitsByTheWaitsTablesExecutionIndexAndDeletesThem() {
        JsonNode waits = resources.get(logicalIdStartingWith("AWS::DynamoDB::Table", "Waits")).get("Properties");
        assertThat(waits.at("/GlobalSecondaryIndexes/0/IndexName").asText()).isEqualTo("byExecution");
        assertThat(waits.at("/GlobalSecondaryIndexes/0/KeySchema/0/AttributeName").asText()).isEqualTo("executionArn");
        List<JsonNode> statements = statementsOfRole(roleOf("LockCleanup"));
        // A Query on an index is authorized on the index's ARN (table ARN + "/index/<name>").
        assertThat(withAction(statements, "dynamodb:Query").get("Resource").toString()).contains("/index/byExecution");
        assertThat(tablesWithAction(statements, "dynamodb:DeleteItem"))
                .contains(logicalIdStartingWith("AWS::DynamoDB::Table", "Waits"));
    }

    @Test
    void tablesAreEncryptedWithPointInTimeRecovery() {
        assertThat(ofType("AWS::DynamoDB::Table")).hasSize(4).allSatisfy(table -> {
            JsonNode properties = table.get("Properties");
            assertThat(properties.at("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled").asBoolean()).isTrue();
            assertThat(properties.at("/SSESpecification/SSEEnabled").asBoolean()).isTrue();
        });
    }

    @Test
    void historyTableHasTheAdaptersKeysAndTargetIndexAndKeepsItsRecords() {
        JsonNode history = resources.get(logicalIdStartingWith("AWS::DynamoDB::Table", "History")).get("Properties");
        assertThat(history.get("KeySchema").toString())
                .isEqualTo("[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}]");
        JsonNode index = history.at("/GlobalSecondaryIndexes/0");
        assertThat(index.get("IndexName").asText()).isEqualTo("byTarget");
        assertThat(index.get("KeySchema").toString()).isEqualTo(
                "[{\"AttributeName\":\"targetKey\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"startedKey\",\"KeyType\":\"RANGE\"}]");
        assertThat(index.at("/Projection/ProjectionType").asText()).isEqualTo("ALL");
        List<String> types = new ArrayList<>();
        history.get("AttributeDefinitions").forEach(attribute -> types.add(
                attribute.get("AttributeName").asText() + ":" + attribute.get("AttributeType").asText()));
        assertThat(types).containsExactlyInAnyOrder("pk:S", "sk:S", "targetKey:S", "startedKey:S");
        assertThat(history.has("TimeToLiveSpecification")).isFalse();
    }

    @Test
    void locksTableIsKeyedByPkAndExpiresExecutionItemsByTheirExpiry() {
        JsonNode locks = resources.get(logicalIdStartingWith("AWS::DynamoDB::Table", "Locks")).get("Properties");
        assertThat(locks.get("KeySchema").toString()).isEqualTo("[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}]");
        assertThat(locks.at("/TimeToLiveSpecification/AttributeName").asText()).isEqualTo("expiresAt");
        assertThat(locks.at("/TimeToLiveSpecification/Enabled").asBoolean()).isTrue();
    }

    @Test
    void freezesTableIsKeyedByServiceAndEnvironmentExpiresAtTheFreezesEndAndOnlyTheApiWritesIt() {
        String table = logicalIdStartingWith("AWS::DynamoDB::Table", "Freezes");
        JsonNode freezes = resources.get(table).get("Properties");
        assertThat(freezes.get("KeySchema").toString())
                .isEqualTo("[{\"AttributeName\":\"freezeKey\",\"KeyType\":\"HASH\"}]");
        assertThat(freezes.at("/TimeToLiveSpecification/AttributeName").asText()).isEqualTo("expiresAt");
        assertThat(freezes.at("/TimeToLiveSpecification/Enabled").asBoolean()).isTrue();
        // Coordinate (the lock) only reads it; the API declares and ends freezes, item by item.
        List<JsonNode> coordinate = statementsOfRole(roleOf("Coordinate"));
        assertThat(tablesWithAction(coordinate, "dynamodb:GetItem")).contains(table);
        for (String write : List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem")) {
            assertThat(tablesWithAction(coordinate, write)).as(write).doesNotContain(table);
        }
        List<JsonNode> api = statementsOfRole(roleOf("DeploymentApi"));
        for (String action : List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem")) {
            assertThat(tablesWithAction(api, action)).as(action).contains(table);
        }
        assertThat(tablesWithAction(api, "dynamodb:Scan")).isEmpty();
        for (String function : List.of("Deploy", "Migration", "Record", "Rollback", "Notify", "WaitRouter", "HealthCheck")) {
            assertThat(statementsOfRole(roleOf(function))).as(function).noneMatch(statement ->
                    statement.at("/Resource/Fn::GetAtt/0").asText().equals(table));
        }
    }

    @Test
    void topicIsEncryptedWithARotatingKeyAndRefusesRequestsWithoutTls() {
        JsonNode topic = only("AWS::SNS::Topic").get("Properties");
        assertThat(topic.at("/KmsMasterKeyId/Fn::GetAtt/0").asText()).isEqualTo(logicalId("AWS::KMS::Key"));
        assertThat(only("AWS::KMS::Key").at("/Properties/EnableKeyRotation").asBoolean()).isTrue();

        JsonNode deny = statements(only("AWS::SNS::TopicPolicy").at("/Properties/PolicyDocument")).stream()
                .filter(statement -> statement.get("Effect").asText().equals("Deny")).findFirst().orElseThrow();
        assertThat(deny.at("/Condition/Bool/aws:SecureTransport").asText()).isEqualTo("false");
    }

    @Test
    void configurationParameterHoldsTheValidatedFileAsWritten() throws Exception {
        JsonNode parameter = only("AWS::SSM::Parameter").get("Properties");
        assertThat(parameter.get("Value").asText()).isEqualTo(Files.readString(TestInstallation.SAMPLE_CONFIG));
        assertThat(parameter.get("Type").asText()).isEqualTo("String");
        assertThat(parameter.get("Tier").asText()).isEqualTo("Standard");
        assertThat(parameter.get("Name").asText()).isEqualTo("/deckhand/Deckhand/configuration");
    }

    @Test
    void promoteApiRequiresIamOnEveryMethodAndIsLimitedToTheAccount() {
        // POST /promotions, the targeted promotion, the rollback, the approval, GET a deployment, GET a target's
        // deployments, GET /metrics, PUT and DELETE an environment's freeze.
        assertThat(ofType("AWS::ApiGateway::Method")).hasSize(9).allSatisfy(method ->
                assertThat(method.at("/Properties/AuthorizationType").asText()).isEqualTo("AWS_IAM"));
        JsonNode policy = only("AWS::ApiGateway::RestApi").at("/Properties/Policy/Statement/0");
        assertThat(policy.get("Action").asText()).isEqualTo("execute-api:Invoke");
        assertThat(joined(policy.at("/Principal/AWS")))
                .containsExactly("arn:${AWS::Partition}:iam::${AWS::AccountId}:root");
    }

    @Test
    void promotionBodiesAreValidatedAgainstTheSchemaBeforeTheHandlerRuns() {
        List<JsonNode> posts = ofType("AWS::ApiGateway::Method").stream()
                .filter(method -> method.at("/Properties/HttpMethod").asText().equals("POST")).toList();
        assertThat(posts).hasSize(4);
        String promotion = logicalIdStartingWith("AWS::ApiGateway::Model", "PromoteApiPromotionModel");
        String approval = logicalIdStartingWith("AWS::ApiGateway::Model", "PromoteApiApprovalModel");
        String targeted = logicalIdStartingWith("AWS::ApiGateway::Model", "PromoteApiTargetedPromotionModel");
        String rollback = logicalIdStartingWith("AWS::ApiGateway::Model", "PromoteApiRollbackModel");
        List<String> models = new ArrayList<>();
        for (JsonNode post : posts) {
            JsonNode validator = resources.get(post.at("/Properties/RequestValidatorId/Ref").asText());
            assertThat(validator.at("/Properties/ValidateRequestBody").asBoolean()).isTrue();
            models.add(post.at("/Properties/RequestModels/application~1json/Ref").asText());
        }
        assertThat(models).containsExactlyInAnyOrder(promotion, targeted, rollback, approval);
        JsonNode approvalSchema = resources.get(approval).at("/Properties/Schema");
        List<String> approvalFields = new ArrayList<>();
        approvalSchema.get("properties").fieldNames().forEachRemaining(approvalFields::add);
        assertThat(approvalFields).containsExactlyInAnyOrderElementsOf(dev.deckhand.promote.DeploymentApi.APPROVAL_FIELDS);
        assertThat(values(approvalSchema.at("/properties/decision/enum"))).containsExactly("approve", "reject");
        assertThat(approvalSchema.get("additionalProperties").asBoolean(true)).isFalse();
        JsonNode rollbackSchema = resources.get(rollback).at("/Properties/Schema");
        assertThat(rollbackSchema.get("additionalProperties").asBoolean(true)).isFalse();
        List<String> rollbackFields = new ArrayList<>();
        rollbackSchema.get("properties").fieldNames().forEachRemaining(rollbackFields::add);
        assertThat(rollbackFields).containsExactlyInAnyOrderElementsOf(dev.deckhand.promote.DeploymentApi.ROLLBACK_FIELDS);
        assertThat(java.util.regex.Pattern.compile(rollbackSchema.at("/properties/to/pattern").asText()))
                .satisfies(pattern -> assertThat(pattern.matcher("storefront.prod.0123456789abcdef").matches()).isTrue())
                .satisfies(pattern -> assertThat(pattern.matcher("sha256:" + "a".repeat(64)).matches()).isTrue())
                .satisfies(pattern -> assertThat(pattern.matcher("latest").matches()).isFalse());

        JsonNode schema = resources.get(promotion).at("/Properties/Schema");
        assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(values(schema.get("required"))).containsExactly("service", "from", "to");
        assertThat(schema.at("/properties/service/pattern").asText()).isEqualTo("^[a-z][a-z0-9-]{0,39}$");
        assertThat(schema.at("/properties/digest/pattern").asText()).isEqualTo("^sha256:[0-9a-f]{64}$");
        // The same fields the handler accepts (its second fence behind this model).
        java.util.List<String> fields = new java.util.ArrayList<>();
        schema.get("properties").fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrderElementsOf(dev.deckhand.promote.DeploymentApi.PROMOTION_FIELDS);

        // The promotion to the environment its path names: the resource an IAM policy can allow per target.
        JsonNode targetedSchema = resources.get(targeted).at("/Properties/Schema");
        assertThat(targetedSchema.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(values(targetedSchema.get("required"))).containsExactly("from");
        List<String> targetedFields = new ArrayList<>();
        targetedSchema.get("properties").fieldNames().forEachRemaining(targetedFields::add);
        assertThat(targetedFields)
                .containsExactlyInAnyOrderElementsOf(dev.deckhand.promote.DeploymentApi.TARGETED_PROMOTION_FIELDS);
        JsonNode targetedPost = posts.stream().filter(post -> post.at("/Properties/RequestModels/application~1json/Ref")
                .asText().equals(targeted)).findFirst().orElseThrow();
        assertThat(resources.get(targetedPost.at("/Properties/ResourceId/Ref").asText()).at("/Properties/PathPart")
                .asText()).isEqualTo("promotions");
    }

    @Test
    void statusEndpointsRequireTheirPathParameters() {
        List<String> required = new ArrayList<>();
        List<String> optional = new ArrayList<>();
        ofType("AWS::ApiGateway::Method").stream()
                .filter(method -> method.at("/Properties/HttpMethod").asText().equals("GET"))
                .forEach(method -> method.at("/Properties/RequestParameters").fields().forEachRemaining(parameter ->
                        (parameter.getValue().asBoolean() ? required : optional).add(parameter.getKey())));
        assertThat(required).containsExactlyInAnyOrder(
                "method.request.path.id", "method.request.path.service", "method.request.path.env");
        // GET /metrics: every filter is optional (all services, all environments, the last 30 days).
        assertThat(optional).containsExactlyInAnyOrder("method.request.querystring.service",
                "method.request.querystring.environment", "method.request.querystring.since");
    }

    @Test
    void promoteApiStageIsThrottledAndWritesAccessLogs() {
        JsonNode stage = only("AWS::ApiGateway::Stage").get("Properties");
        assertThat(stage.at("/MethodSettings/0/ThrottlingRateLimit").asInt()).isEqualTo(PromoteApi.RATE_LIMIT);
        assertThat(stage.at("/MethodSettings/0/ThrottlingBurstLimit").asInt()).isEqualTo(PromoteApi.BURST_LIMIT);
        assertThat(stage.at("/AccessLogSetting/DestinationArn/Fn::GetAtt/0").asText()).startsWith("PromoteApiAccessLogs");
        assertThat(stage.at("/TracingEnabled").asBoolean()).isTrue();
    }

    @Test
    void everyAlarmNotifiesTheTopic() {
        List<JsonNode> alarms = ofType("AWS::CloudWatch::Alarm");
        // Executions failed, dead letters, rollbacks of each of the 5 configured targets, one per function.
        assertThat(alarms).hasSize(2 + 5 + TestInstallation.settings(work).steps().size() + 3);
        assertThat(alarms).allSatisfy(alarm ->
                assertThat(alarm.at("/Properties/AlarmActions/0/Ref").asText()).isEqualTo(logicalId("AWS::SNS::Topic")));
    }

    @Test
    void rollbackAlarmsWatchTheRollbacksMetricOfEachConfiguredServiceEnvironment() {
        List<String> watched = new ArrayList<>();
        ofType("AWS::CloudWatch::Alarm").stream()
                .filter(alarm -> alarm.at("/Properties/MetricName").asText().equals(OutcomeMetrics.ROLLBACKS))
                .forEach(alarm -> {
                    assertThat(alarm.at("/Properties/Namespace").asText()).isEqualTo("Deckhand");
                    Map<String, String> dimensions = new java.util.TreeMap<>();
                    alarm.at("/Properties/Dimensions").forEach(dimension ->
                            dimensions.put(dimension.get("Name").asText(), dimension.get("Value").asText()));
                    assertThat(dimensions.keySet()).containsExactly("Environment", "Service");
                    watched.add(dimensions.get("Service") + "/" + dimensions.get("Environment"));
                });
        assertThat(watched).containsExactlyInAnyOrder("storefront/dev", "storefront/staging", "storefront/prod",
                "billing-worker/staging", "billing-worker/prod");
    }

    @Test
    void dashboardShowsDeploymentsByOutcomeForEveryConfiguredEnvironment() {
        String body = only("AWS::CloudWatch::Dashboard").at("/Properties/DashboardBody").toString();
        assertThat(body).contains("Deployments by outcome: storefront/dev", "Deployments by outcome: storefront/prod",
                "Deployments by outcome: billing-worker/prod", "Deployment duration", "Health-check rounds per deployment");
        // Dashboard metrics are arrays: [namespace, name, dimension, value, ...].
        assertThat(body).contains("[\\\"Deckhand\\\",\\\"Deployments\\\",\\\"Environment\\\",\\\"prod\\\",\\\"Outcome\\\",\\\"ROLLED_BACK\\\",\\\"Service\\\",\\\"storefront\\\"");
        // DORA per environment: frequency, the failure rate's metric math over Changes, the median lead time.
        assertThat(body).contains("DORA: storefront/prod", "DORA: billing-worker/staging",
                "100 * FILL(failed, 0) / changes",
                "[\\\"Deckhand\\\",\\\"LeadTime\\\",\\\"Environment\\\",\\\"prod\\\",\\\"Service\\\",\\\"storefront\\\"",
                "[\\\"Deckhand\\\",\\\"FailedChanges\\\",\\\"Environment\\\",\\\"dev\\\",\\\"Service\\\",\\\"storefront\\\"");
    }

    @Test
    void deadExecutionRuleDeploysExactlyThePatternTheLocalCloudUses() throws Exception {
        JsonNode pattern = resources.get(logicalIdStartingWith("AWS::Events::Rule", "DeadExecutions")).at("/Properties/EventPattern");
        String machine = logicalId("AWS::StepFunctions::StateMachine");
        String expected = DeadExecutionPattern.forStateMachine("STATE-MACHINE")
                .replace("\"STATE-MACHINE\"", "{\"Ref\":\"" + machine + "\"}");

        assertThat(JSON.writeValueAsString(pattern)).isEqualTo(expected);
        assertThat(values(pattern.at("/detail/status"))).containsExactlyInAnyOrder("FAILED", "TIMED_OUT", "ABORTED");
    }

    @Test
    void executionsThatDieWithoutReleasingTheirLockAreHandedToTheLockCleanup() {
        JsonNode rule = resources.get(logicalIdStartingWith("AWS::Events::Rule", "DeadExecutions")).get("Properties");
        assertThat(rule.has("EventBusName")).as("default bus").isFalse();
        JsonNode target = rule.at("/Targets/0");
        String alias = logicalIdStartingWith("AWS::Lambda::Alias", "LockCleanupAlias");
        assertThat(target.at("/Arn/Ref").asText()).isEqualTo(alias);
        assertThat(target.at("/DeadLetterConfig/Arn/Fn::GetAtt/0").asText()).isEqualTo(logicalId("AWS::SQS::Queue"));
        assertThat(target.at("/RetryPolicy/MaximumRetryAttempts").asInt()).isEqualTo(185);

        JsonNode permission = ofType("AWS::Lambda::Permission").stream().map(resource -> resource.get("Properties"))
                .filter(properties -> properties.get("Principal").asText().equals("events.amazonaws.com"))
                .filter(properties -> properties.at("/FunctionName/Ref").asText().equals(alias))
                .findFirst().orElseThrow();
        assertThat(permission.at("/FunctionName/Ref").asText()).isEqualTo(alias);
        assertThat(permission.get("Principal").asText()).isEqualTo("events.amazonaws.com");
        assertThat(permission.at("/SourceArn/Fn::GetAtt/0").asText())
                .isEqualTo(logicalIdStartingWith("AWS::Events::Rule", "DeadExecutions"));

        List<String> sources = new ArrayList<>();
        statements(only("AWS::SQS::QueuePolicy").at("/Properties/PolicyDocument")).stream()
                .filter(statement -> statement.get("Action").asText().equals("sqs:SendMessage"))
                .forEach(statement -> sources.add(statement.at("/Condition/ArnEquals/aws:SourceArn/Fn::GetAtt/0").asText()));
        assertThat(sources).containsExactlyInAnyOrder(logicalIdStartingWith("AWS::Events::Rule", "PushTrigger"),
                logicalIdStartingWith("AWS::Events::Rule", "DeadExecutions"),
                logicalIdStartingWith("AWS::Events::Rule", "EcsDeployments"),
                logicalIdStartingWith("AWS::Events::Rule", "EcsStoppedTasks"));

        JsonNode onFailure = only("AWS::Lambda::EventInvokeConfig").get("Properties");
        // The alias's qualifier, taken from its ARN.
        assertThat(onFailure.at("/Qualifier/Fn::Select/1/Fn::Split/1/Ref").asText()).isEqualTo(alias);
        assertThat(onFailure.at("/DestinationConfig/OnFailure/Destination/Fn::GetAtt/0").asText())
                .isEqualTo(logicalId("AWS::SQS::Queue"));

        List<JsonNode> statements = statementsOfRole(roleOf("LockCleanup"));
        // It deletes the dead execution's lock and its waits.
        assertThat(tablesWithAction(statements, "dynamodb:DeleteItem")).containsExactlyInAnyOrder(
                logicalIdStartingWith("AWS::DynamoDB::Table", "Locks"), logicalIdStartingWith("AWS::DynamoDB::Table", "Waits"));
        assertThat(withAction(statements, "sqs:SendMessage").at("/Resource/Fn::GetAtt/0").asText())
                .isEqualTo(logicalId("AWS::SQS::Queue"));
        // Lambda sends a failed event with sqs:SendMessage alone (invocation-async-retain-records); the cleanup
        // never takes a lock, so it never puts one.
        assertThat(actionsOf(statements)).doesNotContain("sqs:GetQueueAttributes", "sqs:GetQueueUrl")
                .filteredOn(action -> action.equals("dynamodb:PutItem")).hasSize(1);
    }

    // --- reading the template ---

    private static JsonNode pushRule() {
        return resources.get(logicalIdStartingWith("AWS::Events::Rule", "PushTrigger"));
    }

    private static List<JsonNode> ofType(String type) {
        return TestInstallation.ofType(resources, type);
    }

    private static JsonNode only(String type) {
        assertThat(ofType(type)).as(type).hasSize(1);
        return ofType(type).get(0);
    }

    private static String logicalId(String type) {
        List<String> ids = new ArrayList<>();
        resources.fields().forEachRemaining(entry -> {
            if (entry.getValue().get("Type").asText().equals(type)) {
                ids.add(entry.getKey());
            }
        });
        assertThat(ids).as(type).hasSize(1);
        return ids.get(0);
    }

    private static String logicalIdStartingWith(String type, String prefix) {
        return logicalIdStartingWith(resources, type, prefix);
    }

    /** The one resource of {@code type} whose logical id starts with {@code prefix}. */
    static String logicalIdStartingWith(JsonNode resources, String type, String prefix) {
        List<String> ids = new ArrayList<>();
        resources.fields().forEachRemaining(entry -> {
            if (entry.getValue().get("Type").asText().equals(type) && entry.getKey().startsWith(prefix)) {
                ids.add(entry.getKey());
            }
        });
        assertThat(ids).as(type + " " + prefix).hasSize(1);
        return ids.get(0);
    }

    private static JsonNode functionProperties(String name) {
        return resources.get(logicalIdStartingWith("AWS::Lambda::Function", name + "Function")).get("Properties");
    }

    private static String roleOf(String function) {
        return functionProperties(function).at("/Role/Fn::GetAtt/0").asText();
    }

    private static List<JsonNode> statementsOfRole(String roleId) {
        List<JsonNode> found = new ArrayList<>();
        ofType("AWS::IAM::Policy").stream()
                .filter(policy -> policy.at("/Properties/Roles/0/Ref").asText().equals(roleId))
                .forEach(policy -> found.addAll(statements(policy.at("/Properties/PolicyDocument"))));
        assertThat(found).as("statements of " + roleId).isNotEmpty();
        return found;
    }

    /** The tables (logical ids) of the statements that allow {@code action} on a table's ARN. */
    private static List<String> tablesWithAction(List<JsonNode> statements, String action) {
        return statements.stream().filter(statement -> values(statement.get("Action")).contains(action))
                .map(statement -> statement.at("/Resource/Fn::GetAtt/0").asText()).toList();
    }

    private static List<String> actionsOf(List<JsonNode> statements) {
        List<String> actions = new ArrayList<>();
        statements.forEach(statement -> actions.addAll(values(statement.get("Action"))));
        return actions;
    }

    private static List<JsonNode> allPolicyDocuments() {
        List<JsonNode> documents = new ArrayList<>();
        resources.forEach(resource -> {
            JsonNode properties = resource.path("Properties");
            for (String field : List.of("PolicyDocument", "KeyPolicy", "AssumeRolePolicyDocument", "Policy")) {
                if (properties.has(field) && properties.get(field).has("Statement")) {
                    documents.add(properties.get(field));
                }
            }
            properties.path("Policies").forEach(policy -> documents.add(policy.get("PolicyDocument")));
        });
        return documents;
    }

    private static List<JsonNode> statements(JsonNode document) {
        return StreamSupport.stream(document.get("Statement").spliterator(), false).toList();
    }

    private static JsonNode withAction(List<JsonNode> statements, String action) {
        return statements.stream().filter(statement -> values(statement.get("Action")).contains(action))
                .findFirst().orElseThrow(() -> new AssertionError("no statement allows " + action));
    }

    /** A string or an array of strings. */
    private static List<String> values(JsonNode node) {
        if (node == null) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        List<String> values = new ArrayList<>();
        node.forEach(value -> values.add(value.isTextual() ? value.asText() : value.toString()));
        return values;
    }

    /**
     * Each element rendered as text, with {@code Fn::Join} of pseudo-parameter {@code Ref}s written
     * {@code ${AWS::Partition}}, so ARNs read as in the IAM documentation.
     */
    private static List<String> joined(JsonNode node) {
        List<String> result = new ArrayList<>();
        (node.isArray() ? node : JSON.createArrayNode().add(node)).forEach(element -> result.add(render(element)));
        return result;
    }

    private static String render(JsonNode element) {
        if (element.isTextual()) {
            return element.asText();
        }
        if (element.has("Ref")) {
            return "${" + element.get("Ref").asText() + "}";
        }
        JsonNode parts = element.at("/Fn::Join/1");
        StringBuilder text = new StringBuilder();
        parts.forEach(part -> text.append(render(part)));
        return text.toString();
    }
}
