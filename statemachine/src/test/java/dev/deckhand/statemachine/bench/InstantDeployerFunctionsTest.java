package dev.deckhand.statemachine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The engine benchmark measures the real deployer definition with instant stand-ins for its
 * functions; they must keep answering what the definition reads, or the benchmark stops measuring
 * (as it did when the claim began answering {@code requestedAt}).
 */
class InstantDeployerFunctionsTest {

    @Test
    void theRealDeployerDefinitionRunsToDeployedOnTheInstantFunctions() throws Exception {
        int entered = EngineBenchmark.statesEntered(EngineBenchmark.deployerDefinition(),
                EngineBenchmark.instantDeployer(), "Deployed");

        assertThat(entered).isGreaterThan(15);
    }
}
