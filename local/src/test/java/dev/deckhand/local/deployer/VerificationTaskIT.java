package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.local.StartedTasks;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;

/**
 * The verification task (issue 21): once the release is healthy, a one-off task of the new
 * revision runs with the migration's machinery and judgement, woken by the same ECS events, on the
 * simulated clock. billing-worker/staging has no migration and no health check, so the one-off task
 * an image runs is the verification task alone (the local ECS runs an image's one-off command with
 * its behaviour: {@code migration-exit:N} exits N, {@code hangs} never exits).
 */
class VerificationTaskIT {

    private LocalDeckhand deckhand;
    private DeployerScenarios scenarios;

    @BeforeEach
    void start() throws Exception {
        String marker = "        executionRoleArn: arn:aws:iam::123456789012:role/billing-worker-execution  # no task role";
        String sample = Files.readString(Fixtures.path("deckhand.yml"), StandardCharsets.UTF_8);
        int staging = sample.indexOf(marker);
        int endOfLine = sample.indexOf('\n', staging) + 1;
        String text = sample.substring(0, endOfLine)
                + "        verification: {command: [bin/e2e, --smoke], timeoutSeconds: 120}\n"
                + sample.substring(endOfLine);
        deckhand = LocalDeckhand.builder(ConfigurationLoader.parse(text, "deckhand.yml")).configurationText(text).start();
        scenarios = new DeployerScenarios(deckhand);
    }

    @AfterEach
    void stop() {
        deckhand.close();
    }

    @Test
    void aVerificationTaskThatExitsZeroLetsTheDeploymentSucceed() throws Exception {
        EcrImage image = deckhand.push("acme/billing-worker-staging", List.of("good"), ImageBehaviour.healthy());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).as(execution.error() + ": " + execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        List<String> entered = entered(execution);
        assertThat(entered).containsSubsequence("Update the service", "Run the verification task",
                "Record the verified release and release the lock");
        // Woken by its STOPPED event: no heartbeat, no look at ECS.
        assertThat(entered).doesNotContain("Check the verification task");
        assertThat(StartedTasks.of(deckhand.sdk().ecs(), "acme-staging", "deckhand", DesiredStatus.STOPPED)).hasSize(1);
        AttemptRecord recorded = deckhand.history().recent("billing-worker", "staging", 1).get(0);
        assertThat(recorded.details().path("verification").path("purpose").asText()).isEqualTo("verification");
    }

    @Test
    void aVerificationTaskThatExitsOneRollsBackWithItsReason() throws Exception {
        EcrImage good = deckhand.push("acme/billing-worker-staging", List.of("good"), ImageBehaviour.healthy());
        assertThat(scenarios.finishedExecutionOf(good).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        EcrImage bad = deckhand.push("acme/billing-worker-staging", List.of("bad"), ImageBehaviour.migrationExit(1));

        ExecutionDescription execution = scenarios.finishedExecutionOf(bad);

        assertThat(execution.error()).isEqualTo("Deckhand.RolledBack");
        assertThat(execution.cause()).contains("VerificationFailedException").contains("verification task exited with code 1");
        assertThat(scenarios.servingImage("acme-staging", "billing-worker-staging", "app")).isEqualTo(good.uri());
        assertThat(deckhand.history().recent("billing-worker", "staging", 1).get(0).reason())
                .contains("verification task exited with code 1");
    }

    @Test
    void aVerificationTaskThatRunsPastItsTimeoutIsStoppedAndRolledBack() throws Exception {
        EcrImage good = deckhand.push("acme/billing-worker-staging", List.of("good"), ImageBehaviour.healthy());
        assertThat(scenarios.finishedExecutionOf(good).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        EcrImage hanging = deckhand.push("acme/billing-worker-staging", List.of("hangs"), ImageBehaviour.hangs());

        ExecutionDescription execution = scenarios.finishedExecutionOf(hanging);

        assertThat(execution.error()).isEqualTo("Deckhand.RolledBack");
        assertThat(execution.cause()).contains("verification task timed out after 120 s and was stopped");
        // The heartbeat led to the check, and on to the separate wait; the start was never re-entered.
        List<String> entered = entered(execution);
        assertThat(entered).filteredOn("Run the verification task"::equals).hasSize(1);
        assertThat(entered).contains("Check the verification task", "Wait for the verification task");
        assertThat(StartedTasks.of(deckhand.sdk().ecs(), "acme-staging", "deckhand", DesiredStatus.STOPPED))
                .hasSize(2).allSatisfy(task -> assertThat(task.lastStatus()).isEqualTo("STOPPED"));
        assertThat(scenarios.servingImage("acme-staging", "billing-worker-staging", "app")).isEqualTo(good.uri());
    }

    private List<String> entered(ExecutionDescription execution) {
        List<HistoryEvent> history = deckhand.engine().getExecutionHistory(execution.executionArn());
        return history.stream().filter(event -> event.type().endsWith("StateEntered")).map(HistoryEvent::stateName).toList();
    }
}
