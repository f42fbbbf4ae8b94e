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

        JsonNode roles = resourcesOfType(target, "AWS::IAM::Role");
        assertThat(roles).hasSize(1);
        JsonNode role = roles.get(0).get("Properties");
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
