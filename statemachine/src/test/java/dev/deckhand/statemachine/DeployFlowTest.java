package dev.deckhand.statemachine;

import static dev.deckhand.statemachine.EngineHarness.START;
import static dev.deckhand.statemachine.EngineHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deployer-shaped flow on simulated time: a service whose rollout completes 60 s after the update,
 * observed through a Wait/Describe loop that reads the shared clock lazily, then health checks retried
 * with exponential back-off.
 */
class DeployFlowTest {

    private final EngineHarness harness = new EngineHarness();
    private final AtomicReference<Instant> updatedAt = new AtomicReference<>();
    private final AtomicInteger healthChecks = new AtomicInteger();
    private volatile String finalRolloutState = "COMPLETED";
    private volatile int unhealthyChecks;

    /** What the health-check function throws; its class name is the error the definition retries. */
    static final class Unhealthy extends Exception {
        private static final long serialVersionUID = 1L;

        Unhealthy(String message) {
            super(message);
        }
    }

    @BeforeEach
    void simulatedService() {
        Clock clock = harness.clock.asJavaClock();
        harness.lambdas.register("resolve-env", event -> event.get("tag").asText().startsWith("v")
                ? json("{\"environment\": \"staging\", \"service\": \"web\", \"image\": \"repo@sha256:abc\"}")
                : json("{\"environment\": null}"));
        harness.resources.register("arn:aws:states:::aws-sdk:ecs:updateService", invocation -> {
            updatedAt.set(clock.instant());
            return json("{}");
        });
        // Computed lazily from the shared clock: the rollout ends 60 s after the update.
        harness.resources.register("arn:aws:states:::aws-sdk:ecs:describeServices", invocation -> {
            boolean done = !clock.instant().isBefore(updatedAt.get().plusSeconds(60));
            return json("{\"Services\": [{\"Deployments\": [{\"RolloutState\": \"%s\"}]}]}"
                    .formatted(done ? finalRolloutState : "IN_PROGRESS"));
        });
        harness.lambdas.register("health-check", event -> {
            if (healthChecks.incrementAndGet() <= unhealthyChecks) {
                throw new Unhealthy("503 from /health");
            }
            return json("{\"healthy\": true}");
        });
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void deploysOnceTheRolloutCompletesAndTheServiceIsHealthy() {
        ExecutionDescription done = harness.runFixture("deploy-flow.asl.json", "{\"tag\": \"v1\"}");

        assertThat(json(done.output())).isEqualTo(json("{\"outcome\": \"DEPLOYED\", \"image\": \"repo@sha256:abc\"}"));
        // Four 15-second polls: the fourth sees the rollout completed at +60 s.
        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(60));
        assertThat(healthChecks.get()).isEqualTo(1);
    }

    @Test
    void healthChecksBackOffExponentiallyBeforeSucceeding() {
        unhealthyChecks = 3;

        ExecutionDescription done = harness.runFixture("deploy-flow.asl.json", "{\"tag\": \"v1\"}");

        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(60 + 1 + 2 + 4));
    }

    @Test
    void rollsBackWhenHealthNeverPasses() {
        unhealthyChecks = Integer.MAX_VALUE;

        ExecutionDescription done = harness.runFixture("deploy-flow.asl.json", "{\"tag\": \"v2\"}");

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("Deployment.RolledBack");
        assertThat(done.cause()).isEqualTo("rolled back web: " + Unhealthy.class.getName());
        assertThat(healthChecks.get()).isEqualTo(6);
        assertThat(done.stopDate()).isEqualTo(START.plusSeconds(60 + 1 + 2 + 4 + 8 + 16));
    }

    @Test
    void rollsBackWhenTheRolloutFails() {
        finalRolloutState = "FAILED";

        ExecutionDescription done = harness.runFixture("deploy-flow.asl.json", "{\"tag\": \"v3\"}");

        assertThat(done.error()).isEqualTo("Deployment.RolledBack");
        assertThat(done.cause()).isEqualTo("rolled back web: FAILED");
        assertThat(healthChecks.get()).isZero();
    }

    @Test
    void ignoresATagThatMatchesNoEnvironment() {
        ExecutionDescription done = harness.runFixture("deploy-flow.asl.json", "{\"tag\": \"latest\"}");

        assertThat(json(done.output())).isEqualTo(json("{\"outcome\": \"IGNORED\"}"));
        assertThat(updatedAt.get()).isNull();
    }
}
