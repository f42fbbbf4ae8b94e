package dev.deckhand.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeployerDefinitionIT {

    @Test
    void loadsTheDefinitionAsWrittenWhenEverySubstitutionIsProvided() throws Exception {
        String definition = DeployerDefinition.load(TestInstallation.FIXTURE_DEFINITION,
                Set.of("ResolveEnvironmentFunctionArn", "HistoryTableName"));

        assertThat(definition).isEqualTo(Files.readString(TestInstallation.FIXTURE_DEFINITION));
    }

    @Test
    void aPlaceholderTheStackDoesNotProvideFailsSynthesisNamingIt() {
        assertThatThrownBy(() -> DeployerDefinition.load(TestInstallation.FIXTURE_DEFINITION, Set.of("HistoryTableName")))
                .isInstanceOf(SynthesisException.class)
                .hasMessageContaining("uses substitutions the stack does not provide: ResolveEnvironmentFunctionArn")
                .hasMessageContaining("(provided: HistoryTableName)");
    }

    @Test
    void aMissingFileFailsSynthesisSayingWhereTheDefinitionLives() {
        assertThatThrownBy(() -> DeployerDefinition.load(Path.of("missing.asl.json"), Set.of()))
                .isInstanceOf(SynthesisException.class)
                .hasMessageStartingWith("state machine definition not found: ")
                .hasMessageContaining("statemachine/deployer.asl.json");
    }

    @Test
    void jsonataExpressionsAreNotMistakenForPlaceholders() {
        assertThat(DeployerDefinition.placeholders("{\"a\": \"{% $states.input %}\", \"b\": \"${Topic}\"}"))
                .containsExactly("Topic");
    }

    @Test
    void eachSubstitutionIsTimedByTheStateThatWaitsLeastForIt() throws Exception {
        Map<String, DeployerDefinition.TimedState> tightest = DeployerDefinition.tightestStates(
                Files.readString(TestInstallation.DEFINITION));

        // "Verify health" and "Verify health after rollback" both wait 120 s; the first is kept.
        assertThat(tightest.get("HealthCheckFunctionArn")).isEqualTo(new DeployerDefinition.TimedState("Verify health", 120));
        assertThat(tightest.get("ResolveEnvironmentFunctionArn"))
                .isEqualTo(new DeployerDefinition.TimedState("Resolve target environment", 30));
        assertThat(tightest.get("CoordinateFunctionArn").timeoutSeconds()).isEqualTo(30);
        // wait-router's states wait for ECS's event: their TimeoutSeconds bounds the wait, not the function.
        assertThat(tightest.get("WaitRouterFunctionArn")).isEqualTo(new DeployerDefinition.TimedState("Wait for the migration", 1800));
        assertThat(tightest).hasSize(9);
    }

    @Test
    void aDefinitionThatIsNotJsonFailsSynthesis() {
        assertThatThrownBy(() -> DeployerDefinition.tightestStates("{ not json"))
                .isInstanceOf(SynthesisException.class)
                .hasMessageStartingWith("the state machine definition is not JSON: ");
    }
}
