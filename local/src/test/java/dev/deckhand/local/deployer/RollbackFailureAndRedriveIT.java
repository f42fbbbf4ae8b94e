package dev.deckhand.local.deployer;

import dev.deckhand.local.StartedTasks;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.fault.FaultRule;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollbackFailureAndRedriveIT extends FreshDeckhandIT {

    private static final String ECS = "AmazonEC2ContainerServiceV20141113";
    private static final String DYNAMODB = "DynamoDB_20120810";


    @Test
    void aRollbackThatCannotBeStartedEndsRollbackFailedLoudly() throws Exception {
        EcrImage good = deckhand.push("acme/storefront", List.of("feature-good"), ImageBehaviour.healthy());
        assertThat(scenarios.finishedExecutionOf(good).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        EcrImage bad = deckhand.push("acme/storefront", List.of("feature-bad"), ImageBehaviour.unhealthy());
        scenarios.awaitEntered(bad, "Verify health");
        // ECS stops accepting service updates just as the deployment needs to roll back.
        deckhand.cloud().faults().add(FaultRule.serverError(ECS, "UpdateService", 1.0));

        ExecutionDescription execution = scenarios.finishedExecutionOf(bad);

        deckhand.cloud().faults().clear();
        assertThat(execution.error()).isEqualTo("Deckhand.RollbackFailed");
        JsonNode report = last(scenarios.published());
        assertThat(report.path("outcome").asText()).isEqualTo("ROLLBACK_FAILED");
        assertThat(report.path("summary").asText()).startsWith("ROLLBACK FAILED for storefront/dev")
                .contains("TransientAwsException").endsWith("The service needs a person.");
    }

    @Test
    void whenEcsRollsTheServiceBackItselfTheReportSaysSo() throws Exception {
        EcrImage good = deckhand.push("acme/billing-worker-staging", List.of("good"), ImageBehaviour.healthy());
        assertThat(scenarios.finishedExecutionOf(good).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        EcrImage bad = deckhand.push("acme/billing-worker-staging", List.of("crash"), new ImageBehaviour.CrashOnStart(1));

        ExecutionDescription execution = scenarios.finishedExecutionOf(bad);

        assertThat(execution.error()).isEqualTo("Deckhand.RolledBack");
        assertThat(last(scenarios.published()).path("summary").asText()).contains("RolloutFailedException")
                .contains("ECS rolled the service back")
                .contains("stopped tasks: app exited 1");
    }

    @Test
    void aRedriveContinuesFromTheFailedStateWithoutASecondRevisionOrMigration() throws Exception {
        // Only releasing a lock (and forgetting a wait) deletes items: make the release fail past its retries;
        // the success is recorded, and the lock is released on its own, where the redrive resumes.
        deckhand.cloud().faults().add(FaultRule.serverError(DYNAMODB, "DeleteItem", 1.0));
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-redrive"), ImageBehaviour.healthy());
        ExecutionDescription failed = scenarios.finishedExecutionOf(image);
        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(lastEntered(failed)).isEqualTo("Release the lock after success");
        int revisions = revisions();
        int migrations = migrationTasks();

        deckhand.cloud().faults().clear();
        deckhand.engine().redriveExecution(failed.executionArn());
        ExecutionDescription redriven = deckhand.awaitCompletion(failed.executionArn(), DeployerScenarios.TIMEOUT);

        assertThat(redriven.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(redriven.redriveCount()).isEqualTo(1);
        assertThat(revisions()).isEqualTo(revisions);
        assertThat(migrationTasks()).isEqualTo(migrations).isEqualTo(1);
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(image.uri());
    }

    private String lastEntered(ExecutionDescription execution) {
        List<HistoryEvent> entered = deckhand.engine().getExecutionHistory(execution.executionArn()).stream()
                .filter(event -> event.type().endsWith("StateEntered")).toList();
        return entered.get(entered.size() - 1).stateName();
    }

    private int revisions() {
        return deckhand.sdk().ecs().listTaskDefinitions(request -> request.familyPrefix("storefront-dev"))
                .taskDefinitionArns().size();
    }

    /** One-off tasks Deckhand started in the dev cluster (service tasks are started by their deployment). */
    private int migrationTasks() {
        return StartedTasks.of(deckhand.sdk().ecs(), "acme-dev", "deckhand", DesiredStatus.STOPPED).size();
    }

    private static JsonNode last(List<JsonNode> messages) {
        return messages.get(messages.size() - 1);
    }
}
