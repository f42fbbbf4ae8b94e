package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.errors.AwsRequestRejectedException;
import dev.deckhand.errors.TransientAwsException;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.ClaimRecord;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The claim's one TransactWriteItems on the wire, and how a TransactionCanceledException's reasons
 * are read from DynamoDB's answer. API_TransactWriteItems
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html):
 * TransactItems of {@code {"Put": {TableName, Item, ConditionExpression …}}}; a cancelled
 * transaction answers 400 TransactionCanceledException with CancellationReasons, one per action
 * ({@code Code}, {@code Message}; "None" for an action that was fine). The answers below have the
 * shape DynamoDB sends: {@code __type} namespaced, the message in {@code Message}.
 */
class DynamoDbDeploymentHistoryTest {

    private static final Instant STARTED = Instant.parse("2026-12-06T10:00:00Z");

    private final LoopbackAwsService dynamoDb = new LoopbackAwsService();
    private final DynamoDbDeploymentHistory history =
            new DynamoDbDeploymentHistory(dynamoDb.clients().dynamoDb(), "history");

    @AfterEach
    void stop() {
        dynamoDb.close();
    }

    @Test
    void aClaimIsOneTransactionOfThreePutsTheFirstConditional() {
        assertThat(claim()).isTrue();

        assertThat(dynamoDb.requests()).hasSize(1);
        assertThat(dynamoDb.requests().get(0).target()).isEqualTo("DynamoDB_20120810.TransactWriteItems");
        JsonNode actions = dynamoDb.requests().get(0).json().path("TransactItems");
        assertThat(actions).hasSize(3);
        JsonNode latest = actions.get(0).path("Put");
        assertThat(latest.path("TableName").asText()).isEqualTo("history");
        assertThat(latest.path("ConditionExpression").asText()).isEqualTo("attribute_not_exists(pk)");
        assertThat(latest.path("Item").path("sk").path("S").asText()).isEqualTo("LATEST");
        assertThat(latest.path("Item").path("attempt").path("N").asText()).as("numbers travel as strings")
                .isEqualTo("1");
        assertThat(actions.get(1).path("Put").path("Item").path("sk").path("S").asText()).isEqualTo("ATTEMPT#0001");
        assertThat(actions.get(2).path("Put").path("Item").path("pk").path("S").asText())
                .isEqualTo("EXECUTION#arn:claimer");
    }

    @Test
    void aClaimCancelledByItsConditionIsALostRace() {
        cancelledFor("{\"Code\":\"ConditionalCheckFailed\",\"Message\":\"The conditional request failed\"}");

        assertThat(claim()).isFalse();
        assertThat(dynamoDb.requests()).as("a cancelled transaction is not retried by the SDK").hasSize(1);
    }

    @Test
    void aClaimCancelledForAConflictIsTransient() {
        cancelledFor("{\"Code\":\"TransactionConflict\",\"Message\":\"Transaction is ongoing for the item\"}");

        assertThatThrownBy(this::claim).isInstanceOf(TransientAwsException.class)
                .hasMessageContaining("[TransactionConflict]");
    }

    @Test
    void aClaimCancelledAsInvalidIsABug() {
        cancelledFor("{\"Code\":\"ValidationError\",\"Message\":\"One or more parameter values were invalid\"}");

        assertThatThrownBy(this::claim).isInstanceOf(AwsRequestRejectedException.class)
                .hasMessageContaining("[ValidationError]").hasMessageContaining("bug in Deckhand");
    }

    @Test
    void aClaimCancelledWithoutReasonsIsRetried() {
        dynamoDb.answer(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
                + "\"Message\":\"Transaction cancelled\"}");

        assertThatThrownBy(this::claim).isInstanceOf(TransientAwsException.class)
                .hasMessageContaining("without a reason");
    }

    private void cancelledFor(String reason) {
        dynamoDb.answer(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
                + "\"Message\":\"Transaction cancelled, please refer cancellation reasons for specific reasons\","
                + "\"CancellationReasons\":[" + reason + ",{\"Code\":\"None\"},{\"Code\":\"None\"}]}");
    }

    private boolean claim() {
        String deployment = "web.prod.0000000000000001";
        return history.claim(deployment, Optional.empty(),
                new ClaimRecord(1, Outcome.RUNNING, "arn:claimer", STARTED),
                new AttemptRecord(deployment, 1, Outcome.RUNNING, "web", "prod",
                        "123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:" + "0".repeat(64), "v1", "push",
                        null, "arn:claimer", STARTED, null, null, null));
    }
}
