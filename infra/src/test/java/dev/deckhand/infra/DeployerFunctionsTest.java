package dev.deckhand.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.catalogue.DeployerFunction;
import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.HealthCheckSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeployerFunctionsTest {

    @Test
    void aProbeRoundIsItsProbesAtTheirTimeoutPlusTheSpacingBetweenThem() {
        // HealthCheck.round: consecutiveSuccesses probes, PROBE_SPACING (1 s) before every probe but the first.
        assertThat(DeployerFunctions.roundSeconds(new HealthCheckSettings("http://x", 200, null, 5, 10, 5))).isEqualTo(29);
        assertThat(DeployerFunctions.roundSeconds(new HealthCheckSettings("http://x", 200, null, 1, 10, 60))).isEqualTo(60);
    }

    @Test
    void healthCheckTimeoutCoversTheLongestConfiguredRoundWithHeadroom() {
        // Sample: prod has 5 probes of up to 5 s (29 s), dev 2 (11 s), staging the default 3 (17 s).
        assertThat(DeployerFunctions.healthCheckTimeout(ConfigurationLoader.load(Path.of("../deckhand.yml")))
                .toSeconds().intValue()).isEqualTo(39);
    }

    @Test
    void withoutHealthChecksTheHealthCheckFunctionGetsTheMinimum() {
        assertThat(DeployerFunctions.healthCheckTimeout(ConfigurationLoader.load(
                Path.of("src/test/resources/configurations/no-roles-no-migrations.yml"))).toSeconds().intValue())
                .isEqualTo(30);
    }

    @Test
    void theLongestRoundTheLoaderAllowsFitsTheVerifyHealthStep() {
        // 10 probes of up to 10 s: 10 x (10 + 1) = 110 s, the loader's cap; 109 s of probing + 10 s headroom.
        assertThat(DeployerFunctions.healthCheckTimeout(ConfigurationLoader.load(
                Path.of("src/test/resources/configurations/longest-health-check.yml"))).toSeconds().intValue())
                .isEqualTo(119)
                .isLessThanOrEqualTo(DefinitionStates.shortestTimeoutOfStatesInvoking("HealthCheckFunctionArn"));
    }

    @Test
    void theStepsAreTheCataloguesStepsAndTheDefinitionInvokesEach() {
        List<String> substitutions = DeployerFunctions.steps(ConfigurationLoader.load(Path.of("../deckhand.yml"))).stream()
                .map(FunctionSpec::substitution).toList();

        assertThat(substitutions).containsExactly("ResolveEnvironmentFunctionArn", "CoordinateFunctionArn",
                "DeployFunctionArn", "MigrationFunctionArn", "WaitRouterFunctionArn", "HealthCheckFunctionArn", "RollbackFunctionArn",
                "RecordFunctionArn", "NotifyFunctionArn")
                .isEqualTo(DeployerFunction.steps().stream().map(DeployerFunction::placeholder).toList());
        substitutions.forEach(substitution ->
                assertThat(DefinitionStates.invoking(substitution)).as(substitution).isNotEmpty());
    }
}
