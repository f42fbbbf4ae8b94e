package dev.deckhand.local.deployer;

import dev.deckhand.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh local Deckhand with the sample configuration for every test, closed after it. */
abstract class FreshDeckhandIT {

    protected LocalDeckhand deckhand;
    protected DeployerScenarios scenarios;

    @BeforeEach
    void startDeckhand() {
        deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start();
        scenarios = new DeployerScenarios(deckhand);
    }

    @AfterEach
    void stopDeckhand() {
        deckhand.close();
    }
}
