package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.local.Eventually;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.ecs.ContainerOutput;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import dev.deckhand.local.StartedTasks;

/**
 * A failed migration explains itself: the end of its container's awslogs stream (read with
 * GetLogEvents from the group and prefix of the task definition) is in the execution's cause, the
 * history record and every notification, and it is bounded (50 lines, 4 KiB).
 */
class MigrationLogTailIT {

    private static final String SLACK_SECRET = "deckhand/slack/storefront-dev";

    private final List<String> slack = new CopyOnWriteArrayList<>();
    private LocalDeckhand deckhand;
    private DeployerScenarios scenarios;

    @BeforeEach
    void start() throws Exception {
        // The sample configuration, with a Slack target on dev.
        String text = Files.readString(Fixtures.path("deckhand.yml"), StandardCharsets.UTF_8).replace(
                "          timeoutSeconds: 600            # default 900\n",
                "          timeoutSeconds: 600            # default 900\n"
                        + "        notifications:\n          slackWebhookSecret: " + SLACK_SECRET + "\n");
        deckhand = LocalDeckhand.builder(ConfigurationLoader.parse(text, "deckhand.yml")).configurationText(text)
                .slackWebhook(slack::add).start();
        scenarios = new DeployerScenarios(deckhand);
    }

    @AfterEach
    void stop() {
        deckhand.close();
    }

    @Test
    void aFailedMigrationsLastLogLinesAreInTheOutcomeTheHistoryAndTheSlackMessage() throws Exception {
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-schema"), new ImageBehaviour.MigrationExit(1));

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        String taskId = StartedTasks.of(deckhand.sdk().ecs(), "acme-dev", "deckhand", DesiredStatus.STOPPED).get(0)
                .taskArn().replaceAll(".*/", "");
        List<String> whole = deckhand.cloud().logs().messages("/ecs/storefront-dev",
                LocalDeckhand.LOG_STREAM_PREFIX + "/web/" + taskId);
        assertThat(whole).hasSize(ContainerOutput.MIGRATION_PROGRESS_LINES + 2).endsWith(ContainerOutput.MIGRATION_ERROR);

        String tail = tailOf(execution.cause());
        assertThat(tail).endsWith(ContainerOutput.MIGRATION_ERROR).doesNotContain(whole.get(0));
        assertThat(tail.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096).isGreaterThan(3500);
        assertThat(tail.split("\n").length).isLessThanOrEqualTo(50);

        AttemptRecord recorded = deckhand.history().recent("storefront", "dev", 1).get(0);
        assertThat(recorded.reason()).contains(tail);
        List<JsonNode> published = scenarios.published();
        assertThat(published.get(published.size() - 1).path("summary").asText()).contains(tail);
        Eventually.until(Duration.ofSeconds(10), () -> "a Slack message with the log tail, got " + slack,
                () -> slack.stream().anyMatch(message -> message.contains(ContainerOutput.MIGRATION_ERROR)));
    }

    @Test
    void aMigrationThatSucceedsLeavesItsLogsInCloudWatchAndNothingInTheOutcome() throws Exception {
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-ok"), ImageBehaviour.healthy());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        String taskId = StartedTasks.of(deckhand.sdk().ecs(), "acme-dev", "deckhand", DesiredStatus.STOPPED).get(0)
                .taskArn().replaceAll(".*/", "");
        assertThat(deckhand.cloud().logs().messages("/ecs/storefront-dev",
                LocalDeckhand.LOG_STREAM_PREFIX + "/web/" + taskId)).endsWith("migrate: all migrations applied");
    }

    private static String tailOf(String cause) {
        String marker = "last log lines:\n";
        assertThat(cause).contains(marker);
        return cause.substring(cause.indexOf(marker) + marker.length());
    }
}
