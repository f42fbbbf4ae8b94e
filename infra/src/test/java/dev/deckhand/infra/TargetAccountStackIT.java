package dev.deckhand.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.catalogue.Policies;
import dev.deckhand.catalogue.ResourceNames;
import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.DeckhandConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * The target-account stack a cross-account environment needs, synthesized: its deployment role
 * trusts exactly the deploy, migration and rollback roles of Deckhand's stack (by name, which that
 * stack fixes), and holds exactly the statements the local cloud enforces for it.
 */
class TargetAccountStackIT {

    private static final String CONFIG = "src/test/resources/configurations/cross-account.yml";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @Test
    void theDeploymentRoleTrustsOnlyDeckhandsAssumingFunctionsAndHoldsTheRenderedStatements() {
        App app = app(Map.of("deckhandAccount", "111122223333"));
        assertThat(DeckhandApp.run(app, new PrintStream(stderr, true, StandardCharsets.UTF_8)))
                .as(stderr.toString(StandardCharsets.UTF_8)).isZero();
        Stack target = (Stack) app.getNode().findChild("Deckhand-Target-444455556666");

        // Besides the deployment role, only the forwarder of ECS events (tested below) has a role here.
        List<JsonNode> roles = new java.util.ArrayList<>();
        resourcesOfType(target, "AWS::IAM::Role").forEach(roles::add);
        assertThat(roles).hasSize(2);
        List<JsonNode> deploymentRoles = roles.stream().filter(candidate -> candidate.get("Properties").has("RoleName"))
                .toList();
        assertThat(deploymentRoles).hasSize(1);
        JsonNode role = deploymentRoles.get(0).get("Properties");
        assertThat(role.get("RoleName").asText()).isEqualTo("deploy");
        assertThat(role.get("Path").asText()).isEqualTo("/deckhand/");
        JsonNode trust = role.get("AssumeRolePolicyDocument").get("Statement");
        List<JsonNode> principals = new java.util.ArrayList<>();
        trust.forEach(statement -> {
            assertThat(statement.get("Action").asText()).isEqualTo("sts:AssumeRole");
            assertThat(statement.has("Condition")).isFalse();
            principals.add(statement.get("Principal").get("AWS"));
        });
        assertThat(principals).hasSize(3)
                .allSatisfy(principal -> assertThat(JSON.writeValueAsString(principal))
                        .contains(":iam::111122223333:role/Deckhand-"))
                .anySatisfy(principal -> assertThat(JSON.writeValueAsString(principal)).contains("role/Deckhand-Deploy\""))
                .anySatisfy(principal -> assertThat(JSON.writeValueAsString(principal)).contains("role/Deckhand-Migration\""))
                .anySatisfy(principal -> assertThat(JSON.writeValueAsString(principal)).contains("role/Deckhand-Rollback\""));

        JsonNode deployed = role.get("Policies").get(0).get("PolicyDocument").get("Statement");
        List<JsonNode> rendered = Policies.deploymentRole(ConfigurationLoader.load(Path.of(CONFIG)), names(target))
                .stream().map(statement -> (JsonNode) JSON.valueToTree(target.resolve(
                        CdkStatements.of(statement).toStatementJson()))).toList();
        assertThat(JSON.convertValue(deployed, List.class)).containsExactlyInAnyOrderElementsOf(
                rendered.stream().map(node -> JSON.convertValue(node, Object.class)).toList());
        assertThat(deployed.toString()).contains("service/acme-prod/api-prod").doesNotContain("acme-dev")
                .contains("arn:aws:iam::444455556666:role/api-prod-execution");
    }

    @Test
    void deckhandsAssumingFunctionsHaveFixedRoleNamesAndMayAssumeExactlyTheConfiguredRole() {
        App app = app(Map.of("deckhandAccount", "111122223333"));
        assertThat(DeckhandApp.run(app, new PrintStream(stderr, true, StandardCharsets.UTF_8))).isZero();
        Stack deckhand = (Stack) app.getNode().findChild("Deckhand");

        JsonNode roles = resourcesOfType(deckhand, "AWS::IAM::Role");
        List<String> named = new java.util.ArrayList<>();
        roles.forEach(role -> {
            if (role.get("Properties").has("RoleName")) {
                named.add(role.get("Properties").get("RoleName").asText());
            }
        });
        assertThat(named).containsExactlyInAnyOrder("Deckhand-Deploy", "Deckhand-Migration", "Deckhand-Rollback");
        String policies = resourcesOfType(deckhand, "AWS::IAM::Policy").toString();
        assertThat(policies).contains("\"sts:AssumeRole\"").contains("arn:aws:iam::444455556666:role/deckhand/deploy");
    }

    /*
     * ECS publishes its events on the target account's default bus; a rule there whose target is
     * another account's bus needs a role EventBridge assumes that may events:PutEvents on that bus,
     * and the receiving bus a resource policy allowing the sending account ("Sending and receiving
     * events between AWS accounts in Amazon EventBridge", eb-cross-account.html).
     */
    @Test
    void theTargetAccountForwardsOnlyItsOwnClustersEcsEventsToDeckhandsBusThroughARoleThatMayOnlyPutThere() throws Exception {
        App app = app(Map.of("deckhandAccount", "111122223333"));
        assertThat(DeckhandApp.run(app, new PrintStream(stderr, true, StandardCharsets.UTF_8))).isZero();
        Stack target = (Stack) app.getNode().findChild("Deckhand-Target-444455556666");
        JsonNode resources = JSON.valueToTree(Template.fromStack(target).toJSON()).get("Resources");

        List<JsonNode> rules = TestInstallation.ofType(resources, "AWS::Events::Rule");
        assertThat(rules).hasSize(2);
        String forwarderId = resources.properties().stream()
                .filter(entry -> entry.getKey().startsWith("EcsEventForwarder")
                        && entry.getValue().get("Type").asText().equals("AWS::IAM::Role"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        for (JsonNode rule : rules) {
            JsonNode properties = rule.get("Properties");
            assertThat(properties.has("EventBusName")).isFalse();
            JsonNode targets = properties.get("Targets");
            assertThat(targets).hasSize(1);
            assertThat(JSON.writeValueAsString(targets.get(0).get("Arn")))
                    .contains(":111122223333:event-bus/default").contains("AWS::Region");
            assertThat(targets.get(0).at("/RoleArn/Fn::GetAtt/0").asText()).isEqualTo(forwarderId);
            JsonNode pattern = properties.get("EventPattern");
            assertThat(pattern.at("/source/0").asText()).isEqualTo("aws.ecs");
            assertThat(pattern.get("account").toString()).isEqualTo("[\"444455556666\"]");
            assertThat(pattern.toString()).contains("444455556666:").contains("acme-prod").doesNotContain("acme-dev");
        }
        assertThat(rules).extracting(rule -> rule.at("/Properties/EventPattern/detail-type/0").asText())
                .containsExactlyInAnyOrder("ECS Deployment State Change", "ECS Task State Change");

        JsonNode forwarder = resources.get(forwarderId).get("Properties");
        assertThat(forwarder.at("/AssumeRolePolicyDocument/Statement/0/Principal/Service").asText())
                .isEqualTo("events.amazonaws.com");
        JsonNode statements = forwarder.at("/Policies/0/PolicyDocument/Statement");
        assertThat(statements).hasSize(1);
        assertThat(statements.get(0).get("Action").asText()).isEqualTo("events:PutEvents");
        assertThat(JSON.writeValueAsString(statements.get(0).get("Resource")))
                .contains(":111122223333:event-bus/default");
    }

    @Test
    void deckhandsDefaultBusAcceptsEventsFromExactlyTheTargetAccountsAndItsEcsRulesMatchTheirArns() {
        App app = app(Map.of("deckhandAccount", "111122223333"));
        assertThat(DeckhandApp.run(app, new PrintStream(stderr, true, StandardCharsets.UTF_8))).isZero();
        Stack deckhand = (Stack) app.getNode().findChild("Deckhand");

        JsonNode policies = resourcesOfType(deckhand, "AWS::Events::EventBusPolicy");
        assertThat(policies).hasSize(1);
        JsonNode policy = policies.get(0).get("Properties");
        assertThat(policy.get("Action").asText()).isEqualTo("events:PutEvents");
        assertThat(policy.get("Principal").asText()).isEqualTo("444455556666");
        assertThat(policy.get("EventBusName").asText()).isEqualTo("default");
        assertThat(policy.get("StatementId").asText()).isEqualTo("Deckhand-444455556666");
        assertThat(policy.has("Condition")).isFalse();

        // Forwarded events keep the target account in their ARNs, which Deckhand's rules leave to a wildcard,
        // and these rules have no account field: "Rules with an account field do not match any events sent
        // from other accounts" (EventBridge API reference, PutPermission, Principal).
        String rules = resourcesOfType(deckhand, "AWS::Events::Rule").toString();
        assertThat(rules).contains("arn:*:ecs:*:*:service/acme-prod/*").contains("arn:*:ecs:*:*:cluster/acme-prod");
    }

    @Test
    void aStackNameTooLongForTheBusPolicysStatementIdFailsSynthesisWithOneLine() {
        // AWS::Events::EventBusPolicy StatementId: 1 to 64 of [a-zA-Z0-9-_] (its CloudFormation resource
        // schema, as cfn-lint ships it); 52 characters still fit the functions' role names (52 + "-Migration").
        String stackName = "D".repeat(52);
        int exit = DeckhandApp.run(app(Map.of("deckhandAccount", "111122223333", "stackName", stackName)),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(1);
        assertThat(stderr.toString(StandardCharsets.UTF_8).strip()).hasLineCount(1)
                .startsWith("deckhand: the event bus policy statement id '" + stackName + "-444455556666' is longer "
                        + "than EventBridge's 64 characters");
    }

    @Test
    void aCrossAccountConfigurationWithoutDeckhandsAccountFailsSynthesisWithOneLine() {
        int exit = DeckhandApp.run(app(Map.of()), new PrintStream(stderr, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(1);
        assertThat(stderr.toString(StandardCharsets.UTF_8).strip()).hasLineCount(1)
                .isEqualTo("deckhand: environments in account(s) 444455556666 need -c deckhandAccount=<the 12-digit "
                        + "account Deckhand runs in>, whose functions their deployment roles trust");
    }

    private App app(Map<String, Object> extra) {
        Map<String, Object> context = new HashMap<>(TestInstallation.context(work, CONFIG,
                TestInstallation.DEFINITION.toString()));
        context.putAll(extra);
        return App.Builder.create().context(context).outdir(work.resolve("cdk.out").toString()).build();
    }

    private static JsonNode resourcesOfType(Stack stack, String type) {
        JsonNode resources = JSON.valueToTree(Template.fromStack(stack).toJSON()).get("Resources");
        return JSON.valueToTree(TestInstallation.ofType(resources, type));
    }

    private static ResourceNames names(Stack stack) {
        return ResourceNames.of(software.amazon.awscdk.Aws.PARTITION, software.amazon.awscdk.Aws.REGION, "444455556666",
                resource -> {
                    throw new AssertionError(resource);
                });
    }
}
