package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.ecs.WorkloadTiming;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.testing.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The builder's workload timing and invocation listener, which the orchestration benchmark relies on. */
class InstantWorkloadsIT {

    private static final WorkloadTiming INSTANT = new WorkloadTiming(Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30));

    @Test
    void instantWorkloadsFinishTheRolloutAndMigrationOnTheFirstCheckAndEveryInvocationIsReported() throws Exception {
        List<String> invoked = new CopyOnWriteArrayList<>();
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration())
                .workloadTiming(INSTANT)
                .invocationListener((function, nanos) -> {
                    assertThat(nanos).isPositive();
                    invoked.add(function);
                })
                .start()) {
            EcrImage image = deckhand.push("acme/storefront", List.of("feature-instant"), ImageBehaviour.healthy());

            ExecutionDescription execution = new DeployerScenarios(deckhand).finishedExecutionOf(image);

            assertThat(execution.status()).as(execution.error() + ": " + execution.cause())
                    .isEqualTo(ExecutionStatus.SUCCEEDED);
            List<HistoryEvent> history = deckhand.engine().getExecutionHistory(execution.executionArn());
            // Zero timing: ECS reports the rollout and the migration done (maybe before the token is
            // stored) and the judged events answer the starting steps: nobody looks again.
            assertThat(entered(history, "Check the rollout")).isZero();
            assertThat(entered(history, "Check the migration")).isZero();
            long scheduled = history.stream().filter(event -> event.type().equals("TaskScheduled")).count();
            // Besides the deployer's tasks, the ECS event rules invoke wait-router.
            long byEvents = deckhand.cloud().events().deliveries().stream()
                    .filter(delivery -> delivery.targetArn().startsWith("arn:aws:lambda:")).count();
            assertThat(byEvents).isPositive();
            assertThat(invoked).hasSize((int) (scheduled + byEvents)).contains(Functions.DEPLOY, Functions.NOTIFY);
        }
    }

    private static long entered(List<HistoryEvent> history, String state) {
        return history.stream().filter(event -> event.type().endsWith("StateEntered"))
                .filter(event -> state.equals(event.stateName())).count();
    }
}
