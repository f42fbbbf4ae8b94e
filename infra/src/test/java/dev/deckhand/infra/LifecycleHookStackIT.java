package dev.deckhand.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;

/**
 * The lifecycle hook in the template, for a configuration with a canary environment. What AWS
 * asks of the role ECS assumes to invoke a hook: "Permissions required for Lambda functions in
 * Amazon ECS blue/green deployments" (blue-green-permissions) — trusted by ecs.amazonaws.com,
 * lambda:InvokeFunction; passing it (and the load balancer's role) in UpdateService needs
 * iam:PassRole with iam:PassedToService (Service Authorization Reference for Amazon ECS, list_ecs).
 */
class LifecycleHookStackIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELB_ROLE = "arn:aws:iam::123456789012:role/api-ecs-elb";
    private static final String CANARY = """
            version: 1
            services:
              api:
                repository: acme/api
                environments:
                  prod:
                    cluster: prod
                    service: api-prod
                    deployOnPush: ["v*"]
                    taskRoleArn: arn:aws:iam::123456789012:role/api-task
                    healthCheck: {url: "http://api.internal/health"}
                    strategy:
                      type: canary
                      canary: {percent: 10, bakeMinutes: 2}
                      loadBalancer:
                        targetGroupArn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api-blue/0123456789abcdef
                        alternateTargetGroupArn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api-green/fedcba9876543210
                        productionListenerRule: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/api/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee
                        testListenerRule: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/api/50dc6c495c0c9188/0467ef3c8400ae65/1a2b3c4d5e6f7a8b
                        roleArn: %s
                        containerPort: 8080
                        testUrl: http://api.internal:8443/health
            """.formatted(ELB_ROLE);

    @TempDir
    static Path work;

    private static JsonNode resources;
    private static JsonNode sampleResources;

    @BeforeAll
    static void synthesize() throws Exception {
        Path config = work.resolve("canary.yml");
        Files.writeString(config, CANARY);
        App app = App.Builder.create().outdir(work.resolve("cdk.out").toString()).build();
        DeckhandStack stack = TestInstallation.stack(app, DeckhandSettings.load(config, TestInstallation.DEFINITION,
                TestInstallation.functionsJar(work)));
        resources = template(stack);
        sampleResources = template(TestInstallation.stack(work.resolve("sample")));
    }

    private static JsonNode template(DeckhandStack stack) {
        return JSON.valueToTree(software.amazon.awscdk.assertions.Template.fromStack(stack).toJSON()).get("Resources");
    }

    @Test
    void ecsMayOnlyInvokeTheHooksAliasThroughItsRole() {
        JsonNode role = resources.get(DeckhandStackIT.logicalIdStartingWith(resources, "AWS::IAM::Role", "LifecycleHookInvokeRole"));
        JsonNode trust = role.at("/Properties/AssumeRolePolicyDocument/Statement");
        assertThat(trust).hasSize(1);
        assertThat(trust.get(0).at("/Principal/Service").asText()).isEqualTo("ecs.amazonaws.com");
        assertThat(trust.get(0).get("Action").asText()).isEqualTo("sts:AssumeRole");

        JsonNode statements = role.at("/Properties/Policies/0/PolicyDocument/Statement");
        assertThat(statements).hasSize(1);
        assertThat(statements.get(0).get("Action").asText()).isEqualTo("lambda:InvokeFunction");
        assertThat(statements.get(0).at("/Resource/Ref").asText())
                .isEqualTo(DeckhandStackIT.logicalIdStartingWith(resources, "AWS::Lambda::Alias", "LifecycleHook"));
    }

    @Test
    void deployAndRollbackMayPassTheHookRoleAndTheLoadBalancerRoleOnlyToEcs() {
        for (String function : List.of("Deploy", "Rollback")) {
            List<JsonNode> passes = passRoleStatements(resources, function);
            JsonNode hookRole = passes.stream().filter(statement -> statement.at("/Resource/Fn::GetAtt/0").asText()
                    .startsWith("LifecycleHookInvokeRole")).findFirst().orElseThrow(() -> new AssertionError(function));
            assertThat(hookRole.at("/Condition/StringEquals/iam:PassedToService").asText()).isEqualTo("ecs.amazonaws.com");
            JsonNode elbRole = passes.stream().filter(statement -> statement.get("Resource").asText().equals(ELB_ROLE))
                    .findFirst().orElseThrow(() -> new AssertionError(function));
            assertThat(elbRole.at("/Condition/StringEquals/iam:PassedToService").asText()).isEqualTo("ecs.amazonaws.com");
        }
        JsonNode variables = resources.get(DeckhandStackIT.logicalIdStartingWith(resources, "AWS::Lambda::Function", "DeployFunction"))
                .at("/Properties/Environment/Variables");
        assertThat(variables.at("/DECKHAND_HOOK_FUNCTION_ARN/Ref").asText())
                .isEqualTo(DeckhandStackIT.logicalIdStartingWith(resources, "AWS::Lambda::Alias", "LifecycleHook"));
        assertThat(variables.at("/DECKHAND_HOOK_ROLE_ARN/Fn::GetAtt/0").asText()).startsWith("LifecycleHookInvokeRole");
    }

    @Test
    void withoutATrafficShiftingEnvironmentNoFunctionMayPassTheHookRole() {
        for (String function : List.of("Deploy", "Rollback")) {
            assertThat(passRoleStatements(sampleResources, function))
                    .noneMatch(statement -> statement.toString().contains("LifecycleHookInvokeRole"))
                    .allMatch(statement -> statement.toString().contains("ecs-tasks.amazonaws.com"));
        }
    }

    /**
     * The hook keeps its FAILED answers in the waits table: UpdateItem on that table only (Service
     * Authorization Reference, list_amazondynamodb: UpdateItem, resource type table), no read, no delete.
     */
    @Test
    void theHookFunctionRunsTheHookHandlerAndMayOnlyUpdateItemsOfTheWaitsTable() {
        JsonNode function = resources.get(DeckhandStackIT.logicalIdStartingWith(resources, "AWS::Lambda::Function", "LifecycleHookFunction"));
        assertThat(function.at("/Properties/Handler").asText())
                .isEqualTo("dev.deckhand.hook.LifecycleHookHandler::handleRequest");
        List<String> variables = new ArrayList<>();
        function.at("/Properties/Environment/Variables").fieldNames().forEachRemaining(variables::add);
        assertThat(variables).filteredOn(name -> name.startsWith("DECKHAND_")).containsExactly("DECKHAND_WAITS_TABLE");
        String role = function.at("/Properties/Role/Fn::GetAtt/0").asText();
        List<String> actions = new ArrayList<>();
        List<JsonNode> dynamo = new ArrayList<>();
        TestInstallation.ofType(resources, "AWS::IAM::Policy").stream()
                .filter(policy -> policy.at("/Properties/Roles/0/Ref").asText().equals(role))
                .forEach(policy -> policy.at("/Properties/PolicyDocument/Statement").forEach(statement -> {
                    JsonNode action = statement.get("Action");
                    (action.isArray() ? action : new ObjectMapper().createArrayNode().add(action)).forEach(each -> {
                        actions.add(each.asText());
                        if (each.asText().startsWith("dynamodb:")) {
                            dynamo.add(statement);
                        }
                    });
                }));
        assertThat(actions).filteredOn(action -> !action.startsWith("xray:") && !action.startsWith("logs:"))
                .containsExactly("dynamodb:UpdateItem");
        assertThat(dynamo).singleElement().satisfies(statement -> assertThat(statement.at("/Resource/Fn::GetAtt/0")
                .asText()).isEqualTo(DeckhandStackIT.logicalIdStartingWith(resources, "AWS::DynamoDB::Table", "Waits")));
    }

    private static List<JsonNode> passRoleStatements(JsonNode resources, String function) {
        String role = resources.get(DeckhandStackIT.logicalIdStartingWith(resources, "AWS::Lambda::Function", function + "Function"))
                .at("/Properties/Role/Fn::GetAtt/0").asText();
        List<JsonNode> found = new ArrayList<>();
        TestInstallation.ofType(resources, "AWS::IAM::Policy").stream()
                .filter(policy -> policy.at("/Properties/Roles/0/Ref").asText().equals(role))
                .forEach(policy -> policy.at("/Properties/PolicyDocument/Statement").forEach(statement -> {
                    JsonNode action = statement.get("Action");
                    if (action.toString().contains("iam:PassRole")) {
                        found.add(statement);
                    }
                }));
        return found;
    }
}
