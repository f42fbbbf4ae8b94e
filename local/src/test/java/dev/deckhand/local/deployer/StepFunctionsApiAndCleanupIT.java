package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.deployment.Outcome;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The deployer through the Step Functions API with the real SfnClient, as the console and the CLI
 * reach it; and a stopped execution's lock and claim released by the dead-execution rule.
 */
class StepFunctionsApiAndCleanupIT extends FreshDeckhandIT {

    @Test
    void theApiStartsDescribesListsAndShowsTheHistoryOfADeployment() throws Exception {
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-api"), ImageBehaviour.healthy());
        ExecutionDescription pushed = scenarios.finishedExecutionOf(image);
        SfnClient sfn = sfn();

        String rerun = sfn.startExecution(request -> request.stateMachineArn(deckhand.stateMachineArn())
                .input(pushed.input())).executionArn();
        deckhand.awaitCompletion(rerun, DeployerScenarios.TIMEOUT);

        var described = sfn.describeExecution(request -> request.executionArn(rerun));
        assertThat(described.statusAsString()).isEqualTo("SUCCEEDED");
        assertThat(DeployerScenarios.json(described.output()).path("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(sfn.listExecutions(request -> request.stateMachineArn(deckhand.stateMachineArn()))
                .executions()).extracting(execution -> execution.executionArn()).contains(pushed.executionArn(), rerun);
        List<HistoryEvent> history = sfn.getExecutionHistory(request -> request.executionArn(pushed.executionArn())).events();
        assertThat(history.get(0).typeAsString()).isEqualTo("ExecutionStarted");
        assertThat(history.get(history.size() - 1).typeAsString()).isEqualTo("ExecutionSucceeded");
        assertThatThrownBy(() -> sfn.describeExecution(request -> request.executionArn(
                deckhand.stateMachineArn().replace(":stateMachine:", ":execution:") + ":no-such-execution")))
                .isInstanceOf(ExecutionDoesNotExistException.class);
    }

    @Test
    void anExecutionStoppedWhileHoldingTheLockReleasesItAndTheNextDeploymentProceeds() throws Exception {
        EcrImage first = deckhand.push("acme/storefront", List.of("feature-stopped"), ImageBehaviour.healthy());
        ExecutionDescription holding = scenarios.awaitEntered(first, "Start database migration");
        // The stop lands once wait-router has stored the token (TaskSubmitted), not in the middle of its call.
        dev.deckhand.local.Eventually.until(DeployerScenarios.TIMEOUT, () -> "its task token handed to wait-router",
                () -> deckhand.engine().getExecutionHistory(holding.executionArn()).stream()
                        .anyMatch(event -> event.type().equals("TaskSubmitted")));

        sfn().stopExecution(request -> request.executionArn(holding.executionArn()).error("Operator.Stop")
                .cause("stopped from the console"));
        EcrImage next = deckhand.push("acme/storefront", List.of("feature-next"), ImageBehaviour.healthy());
        ExecutionDescription proceeded = scenarios.finishedExecutionOf(next);

        assertThat(deckhand.engine().describeExecution(holding.executionArn()).status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(proceeded.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(next.uri());
        // The stopped deployment's claim is ABORTED, so pushing it again is a new attempt, not a duplicate.
        String stoppedId = "storefront.dev." + first.digest().substring(7, 23);
        assertThat(deckhand.history().latestAttempt(stoppedId).orElseThrow().outcome()).isEqualTo(Outcome.ABORTED);
        // Its task token was in the waits table; the migration task's STOPPED event finds the task gone
        // (SendTaskSuccess: TaskTimedOut) and the wait is forgotten.
        dev.deckhand.local.Eventually.until(DeployerScenarios.TIMEOUT, () -> "the stopped execution's wait to go: "
                + deckhand.sdk().dynamo().scan(scan -> scan.tableName(LocalDeckhand.WAITS_TABLE)).items(),
                () -> waitsOf(holding.executionArn()) == 0);
    }

    private long waitsOf(String executionArn) {
        return deckhand.sdk().dynamo().scan(scan -> scan.tableName(LocalDeckhand.WAITS_TABLE)).items().stream()
                .filter(item -> item.containsKey("token") && item.containsKey("executionArn")
                        && item.get("executionArn").s().equals(executionArn)).count();
    }

    private SfnClient sfn() {
        return SfnClient.builder().endpointOverride(deckhand.cloud().endpoint())
                .region(Region.of(deckhand.cloud().region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
