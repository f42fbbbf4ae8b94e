package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.testing.Fixtures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outcomes that have no deployment target pass notify's door as the definition sends them:
 * an ignored push ({@code ignored} instead of {@code target}) and a request resolve-env refused
 * ({@code request}). Each "Report …" state's Catch would hide a refused document, so the tests
 * check that its task succeeded and that the report was published.
 */
class ReportsWithoutTargetIT {

    private static LocalDeckhand deckhand;
    private static DeployerScenarios scenarios;

    @BeforeAll
    static void start() {
        deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start();
        scenarios = new DeployerScenarios(deckhand);
    }

    @AfterAll
    static void stop() {
        deckhand.close();
    }

    @Test
    void anIgnoredPushIsReportedWithWhyItWasIgnored() throws Exception {
        // No environment of acme/storefront deploys a wip-* tag on push (deckhand.yml).
        EcrImage image = deckhand.push("acme/storefront", List.of("wip-1"), ImageBehaviour.healthy());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(reportTaskSucceeded(execution, "Report ignored push")).as("Report ignored push succeeded").isTrue();
        assertThat(reportOf(execution).path("outcome").asText()).isEqualTo("IGNORED");
        assertThat(reportOf(execution).path("summary").asText()).startsWith("Ignored acme/storefront: ");
    }

    @Test
    void aRequestResolveEnvRefusesIsReportedAsAFailure() throws Exception {
        String executionArn = deckhand.startExecution(Fixtures.read("events/invalid/missing-digest.json"));

        ExecutionDescription execution = deckhand.awaitCompletion(executionArn, Duration.ofSeconds(60));

        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(reportTaskSucceeded(execution, "Report rejected request")).as("Report rejected request succeeded").isTrue();
        assertThat(reportOf(execution).path("outcome").asText()).isEqualTo("FAILED");
        assertThat(reportOf(execution).path("summary").asText()).startsWith("Refused the request: InvalidInputException: ")
                .doesNotContain("  ");
    }

    /** Whether the state's task succeeded (its Catch was not taken). */
    private static boolean reportTaskSucceeded(ExecutionDescription execution, String state) {
        List<HistoryEvent> history = deckhand.engine().getExecutionHistory(execution.executionArn());
        int entered = -1;
        for (int i = 0; i < history.size(); i++) {
            HistoryEvent event = history.get(i);
            if (event.type().endsWith("StateEntered") && state.equals(event.stateName())) {
                entered = i;
            } else if (entered >= 0 && event.type().equals("TaskFailed")) {
                return false;
            } else if (entered >= 0 && event.type().equals("TaskSucceeded")) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode reportOf(ExecutionDescription execution) {
        return scenarios.published().stream()
                .filter(message -> message.path("executionArn").asText().equals(execution.executionArn()))
                .reduce((first, second) -> second).orElseThrow(() -> new AssertionError(
                        "no report published for " + execution.executionArn()));
    }
}
