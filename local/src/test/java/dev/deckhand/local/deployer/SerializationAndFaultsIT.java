package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.local.Eventually;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.fault.FaultRule;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.testing.Fixtures;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One deployment per target at a time, newest waiting wins; and the outcome survives faults. */
class SerializationAndFaultsIT {

    @Test
    void twoPushesToOneTargetRunOneAfterTheOther() throws Exception {
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start()) {
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);
            EcrImage first = deckhand.push("acme/storefront", List.of("feature-one"), ImageBehaviour.healthy());
            awaitHoldingLock(deckhand, first);
            EcrImage second = deckhand.push("acme/storefront", List.of("feature-two"), ImageBehaviour.healthy());

            ExecutionDescription one = scenarios.finishedExecutionOf(first);
            ExecutionDescription two = scenarios.finishedExecutionOf(second);

            assertThat(one.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(two.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            // Serialized: the second took the lock only after the first released it.
            assertThat(lockTaken(deckhand, two)).isAfterOrEqualTo(lockReleased(deckhand, one));
            assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(second.uri());
        }
    }

    @Test
    void ofThreePushesTheMiddleOneIsSupersededAndTheNewestWins() throws Exception {
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start()) {
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);
            EcrImage first = deckhand.push("acme/storefront", List.of("feature-a"), ImageBehaviour.healthy());
            awaitHoldingLock(deckhand, first);
            EcrImage middle = deckhand.push("acme/storefront", List.of("feature-b"), ImageBehaviour.healthy());
            awaitWaitingForLock(deckhand, middle);
            EcrImage newest = deckhand.push("acme/storefront", List.of("feature-c"), ImageBehaviour.healthy());

            assertThat(outcome(scenarios.finishedExecutionOf(first))).isEqualTo("SUCCEEDED");
            assertThat(outcome(scenarios.finishedExecutionOf(middle))).isEqualTo("SUPERSEDED");
            assertThat(outcome(scenarios.finishedExecutionOf(newest))).isEqualTo("SUCCEEDED");
            assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(newest.uri());
        }
    }

    @Test
    void throttlingOnEveryAwsCallStillEndsSucceeded() throws Exception {
        LocalDeckhand.Builder builder = LocalDeckhand.builder(Fixtures.sampleConfiguration());
        try (LocalDeckhand deckhand = builder.start()) {
            // Faults start after set-up, as they would hit a running deployer.
            deckhand.cloud().faults().add(FaultRule.throttle(FaultRule.ANY, FaultRule.ANY, 0.3));
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);

            EcrImage image = deckhand.push("acme/storefront", List.of("feature-throttled"), ImageBehaviour.healthy());
            ExecutionDescription execution = scenarios.finishedExecutionOf(image);

            assertThat(execution.status()).as(execution.error() + ": " + execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
            deckhand.cloud().faults().clear();
            assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(image.uri());
        }
    }

    @Test
    void notificationsThatFailDoNotChangeTheOutcome() throws Exception {
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start()) {
            deckhand.cloud().faults().add(FaultRule.serverError("sns", FaultRule.ANY, 1.0));
            deckhand.cloud().faults().add(FaultRule.serverError("AWSEvents", FaultRule.ANY, 1.0));
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);

            EcrImage image = deckhand.push("acme/storefront", List.of("feature-quiet"), ImageBehaviour.healthy());
            ExecutionDescription execution = scenarios.finishedExecutionOf(image);

            assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(outcome(execution)).isEqualTo("SUCCEEDED");
            deckhand.cloud().faults().clear();
            assertThat(scenarios.published()).isEmpty();
            assertThat(deckhand.history().lastVerified("storefront", "dev")).isPresent();
        }
    }

    private static String outcome(ExecutionDescription execution) {
        return DeployerScenarios.json(execution.output()).path("outcome").asText();
    }

    /** Waits (real time, bounded) until the execution for {@code image} has taken the lock. */
    private static void awaitHoldingLock(LocalDeckhand deckhand, EcrImage image) throws InterruptedException {
        awaitState(deckhand, image, "Prepare the release");
    }

    /**
     * Waits until the execution for {@code image} polls for the lock, and until simulated time has
     * moved past its start, so that a push made next is unambiguously newer.
     */
    private static void awaitWaitingForLock(LocalDeckhand deckhand, EcrImage image) throws InterruptedException {
        ExecutionDescription waiting = awaitState(deckhand, image, "Wait for the running deployment");
        Eventually.until(DeployerScenarios.TIMEOUT, () -> "simulated time to pass " + waiting.startDate(),
                () -> deckhand.clock().now().isAfter(waiting.startDate()));
    }

    private static ExecutionDescription awaitState(LocalDeckhand deckhand, EcrImage image, String state)
            throws InterruptedException {
        return new DeployerScenarios(deckhand).awaitEntered(image, state);
    }

    private static Instant lockTaken(LocalDeckhand deckhand, ExecutionDescription execution) {
        return entered(deckhand, execution, "Prepare the release");
    }

    private static Instant lockReleased(LocalDeckhand deckhand, ExecutionDescription execution) {
        return entered(deckhand, execution, "Deployed");
    }

    private static Instant entered(LocalDeckhand deckhand, ExecutionDescription execution, String state) {
        return deckhand.engine().getExecutionHistory(execution.executionArn()).stream()
                .filter(event -> event.type().endsWith("StateEntered") && state.equals(event.stateName()))
                .map(HistoryEvent::timestamp).findFirst().orElse(null);
    }
}
