package dev.deckhand.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.testing.Fixtures;
import org.junit.jupiter.api.Test;

class EcrPushPatternTest {

    @Test
    void watchesSuccessfulPushesToEveryRepositoryThatDeploysOnPush() throws Exception {
        JsonNode pattern = DeckhandJson.MAPPER.readTree(EcrPushPattern.forConfiguration(Fixtures.sampleConfiguration()));

        assertThat(pattern.path("source").toString()).isEqualTo("[\"aws.ecr\"]");
        assertThat(pattern.path("detail-type").toString()).isEqualTo("[\"ECR Image Action\"]");
        assertThat(pattern.path("detail").path("action-type").toString()).isEqualTo("[\"PUSH\"]");
        assertThat(pattern.path("detail").path("result").toString()).isEqualTo("[\"SUCCESS\"]");
        assertThat(pattern.path("detail").path("repository-name").toString()).isEqualTo(
                "[\"acme/billing-worker-prod\",\"acme/billing-worker-staging\",\"acme/storefront\"]");
    }

    @Test
    void isTheTriggerFileWithTheRepositoriesFilledIn() throws Exception {
        JsonNode file = DeckhandJson.MAPPER.readTree(Fixtures.read("statemachine/triggers/ecr-image-push.json"));
        JsonNode pattern = DeckhandJson.MAPPER.readTree(EcrPushPattern.forConfiguration(Fixtures.sampleConfiguration()));

        ((com.fasterxml.jackson.databind.node.ObjectNode) pattern.get("detail")).putArray("repository-name");
        assertThat(pattern).isEqualTo(file);
    }

    @Test
    void deadExecutionsOfTheDeployerGoToTheCleanup() throws Exception {
        String arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:deckhand-deployer";
        JsonNode pattern = DeckhandJson.MAPPER.readTree(DeadExecutionPattern.forStateMachine(arn));

        assertThat(pattern.path("source").toString()).isEqualTo("[\"aws.states\"]");
        assertThat(pattern.path("detail-type").toString()).isEqualTo("[\"Step Functions Execution Status Change\"]");
        assertThat(pattern.path("detail").path("status").toString()).isEqualTo("[\"ABORTED\",\"FAILED\",\"TIMED_OUT\"]");
        assertThat(pattern.path("detail").path("stateMachineArn").toString()).isEqualTo("[\"" + arn + "\"]");
    }
}
