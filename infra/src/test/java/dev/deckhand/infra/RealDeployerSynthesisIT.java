package dev.deckhand.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;

/**
 * The app as {@code cdk synth} runs it, naming no definition: it must load
 * {@code statemachine/deployer.asl.json} and wire every step it invokes.
 */
class RealDeployerSynthesisIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static JsonNode resources;
    private static JsonNode machine;

    @BeforeAll
    static void synthesizeTheAppWithItsDefaults() throws Exception {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        App app = App.Builder.create()
                .context(Map.of(
                        DeckhandSettings.CONFIG, TestInstallation.SAMPLE_CONFIG.toString(),
                        DeckhandSettings.FUNCTIONS_JAR, TestInstallation.functionsJar(work).toString()))
                .outdir(work.resolve("cdk.out").toString())
                .build();
        int exit = DeckhandApp.run(app, new PrintStream(errors, true, StandardCharsets.UTF_8));
        assertThat(errors.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(exit).isZero();
        resources = JSON.readTree(work.resolve("cdk.out/Deckhand.template.json").toFile()).get("Resources");
        machine = ofType("AWS::StepFunctions::StateMachine").get(0).get("Properties");
    }

    @Test
    void theStateMachineRunsTheRealDefinitionByDefault() throws Exception {
        assertThat(ofType("AWS::StepFunctions::StateMachine")).hasSize(1);
        assertThat(machine.get("DefinitionString").asText()).isEqualTo(Files.readString(TestInstallation.DEFINITION));
    }

    @Test
    void everyPlaceholderOfTheDefinitionIsSubstitutedAndNothingElse() {
        Set<String> placeholders = DeployerDefinition.placeholders(machine.get("DefinitionString").asText());
        Set<String> substituted = new TreeSet<>();
        machine.get("DefinitionSubstitutions").fieldNames().forEachRemaining(substituted::add);

        assertThat(placeholders).containsExactlyInAnyOrder("ResolveEnvironmentFunctionArn", "CoordinateFunctionArn",
                "DeployFunctionArn", "MigrationFunctionArn", "WaitRouterFunctionArn", "HealthCheckFunctionArn",
                "RollbackFunctionArn", "RecordFunctionArn", "NotifyFunctionArn");
        assertThat(substituted).isEqualTo(placeholders);
    }

    @Test
    void everySubstitutionIsThePublishedAliasOfAFunctionWithItsOwnRole() {
        List<String> roles = new ArrayList<>();
        machine.get("DefinitionSubstitutions").fields().forEachRemaining(entry -> {
            JsonNode alias = resources.get(entry.getValue().at("/Ref").asText());
            assertThat(alias).as(entry.getKey()).isNotNull();
            assertThat(alias.get("Type").asText()).as(entry.getKey()).isEqualTo("AWS::Lambda::Alias");
            assertThat(alias.at("/Properties/Name").asText()).isEqualTo(DeckhandFunction.ALIAS);
            JsonNode version = resources.get(alias.at("/Properties/FunctionVersion/Fn::GetAtt/0").asText());
            assertThat(version.get("Type").asText()).isEqualTo("AWS::Lambda::Version");
            JsonNode function = resources.get(version.at("/Properties/FunctionName/Ref").asText());
            assertThat(function.get("Type").asText()).isEqualTo("AWS::Lambda::Function");
            String handlerName = entry.getKey().replace("FunctionArn", "");
            assertThat(function.at("/Properties/Handler").asText()).as(entry.getKey())
                    .endsWith("." + handlerName + "Handler::handleRequest");
            JsonNode role = resources.get(function.at("/Properties/Role/Fn::GetAtt/0").asText());
            assertThat(role.get("Type").asText()).isEqualTo("AWS::IAM::Role");
            roles.add(function.at("/Properties/Role/Fn::GetAtt/0").asText());
        });
        assertThat(roles).hasSize(9).doesNotHaveDuplicates();
    }

    @Test
    void theStateMachineRoleMayInvokeExactlyTheAliasesTheDefinitionNames() {
        String role = machine.at("/RoleArn/Fn::GetAtt/0").asText();
        List<String> invocable = new ArrayList<>();
        List<String> lambdaActions = new ArrayList<>();
        ofType("AWS::IAM::Policy").stream()
                .filter(policy -> policy.at("/Properties/Roles/0/Ref").asText().equals(role))
                .forEach(policy -> policy.at("/Properties/PolicyDocument/Statement").forEach(statement -> {
                    String actions = statement.get("Action").toString();
                    if (actions.contains("lambda:")) {
                        lambdaActions.add(actions);
                        statement.get("Resource").forEach(resource -> invocable.add(resource.at("/Ref").asText()));
                    }
                }));
        List<String> named = new ArrayList<>();
        machine.get("DefinitionSubstitutions").forEach(value -> named.add(value.at("/Ref").asText()));

        assertThat(lambdaActions).containsExactly("\"lambda:InvokeFunction\"");
        assertThat(invocable).containsExactlyInAnyOrderElementsOf(named);
    }

    private static List<JsonNode> ofType(String type) {
        return TestInstallation.ofType(resources, type);
    }
}
