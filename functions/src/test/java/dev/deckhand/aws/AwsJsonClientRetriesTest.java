package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.errors.AwsRequestRejectedException;
import dev.deckhand.json.DeckhandJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * AwsJsonClient retries as the SDK's generated clients do ("Each SDK client has a retry strategy
 * created at build time"; throttling, transient and 5xx errors are retried with backoff, other
 * errors are not: SDK for Java 2.x developer guide, "Configure retry behavior"). The reference is
 * the SDK's generated ECS client against the same loopback service.
 */
class AwsJsonClientRetriesTest {

    private final LoopbackAwsService service = new LoopbackAwsService();

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void aServerErrorIsAttemptedAsOftenAsByTheSdksOwnClient() {
        int sdkAttempts = service.attemptsOfTheGeneratedClientAtAServerError(false);

        assertThatThrownBy(() -> service.clients().ssm().call("GetParameter",
                DeckhandJson.MAPPER.createObjectNode().put("Name", "x")))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(500));

        assertThat(sdkAttempts).as("the SDK retries a 500").isGreaterThan(1);
        assertThat(service.requests()).hasSize(sdkAttempts);
    }

    @Test
    void aThrottledCallIsRetriedAndTheLaterAnswerReturned() {
        service.answer(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")
                .answer(200, "{\"Parameter\":{\"Value\":\"v\"}}");

        var answer = service.clients().ssm().call("GetParameter", DeckhandJson.MAPPER.createObjectNode().put("Name", "x"));

        assertThat(answer.path("Parameter").path("Value").asText()).isEqualTo("v");
        assertThat(service.requests()).hasSize(2);
    }

    @Test
    void anErrorPageThatIsNotJsonKeepsItsStatusSoItIsRetried() {
        service.answer(503, "<html>Service Unavailable</html>").answer(200, "{\"ok\":true}");

        var answer = service.clients().ssm().call("GetParameter", DeckhandJson.MAPPER.createObjectNode().put("Name", "x"));

        assertThat(answer.path("ok").asBoolean()).isTrue();
        assertThat(service.requests()).hasSize(2);
    }

    @Test
    void aConnectionClosedWithoutAnAnswerIsRetried() {
        service.answer(LoopbackAwsService.HANG_UP, "").answer(200, "{\"ok\":true}");

        var answer = service.clients().ssm().call("GetParameter", DeckhandJson.MAPPER.createObjectNode().put("Name", "x"));

        assertThat(answer.path("ok").asBoolean()).isTrue();
        assertThat(service.requests()).hasSize(2);
    }

    @Test
    void aRejectedRequestIsSentOnce() {
        service.answer(400, "{\"__type\":\"ValidationException\",\"message\":\"bad name\"}");

        assertThatThrownBy(() -> AwsCalls.call("GetParameter x", () -> service.clients().ssm().call("GetParameter",
                DeckhandJson.MAPPER.createObjectNode().put("Name", "x"))))
                .isInstanceOf(AwsRequestRejectedException.class)
                .hasMessage("GetParameter x was rejected (ValidationException: bad name)");
        assertThat(service.requests()).hasSize(1);
    }

    /**
     * The local Deckhand's clients retry at once (its time is simulated): the same attempts for the
     * same errors as the SDK's defaults, for the generated clients and this one alike.
     */
    @Test
    void retryingAtOnceKeepsTheSdksAttemptsForEveryClient() {
        int sdkAttempts = service.attemptsOfTheGeneratedClientAtAServerError(false);

        AwsClients atOnce = service.clients().retryingAtOnce();
        assertThat(service.attemptsOfTheGeneratedClientAtAServerError(true)).isEqualTo(sdkAttempts);
        assertThatThrownBy(() -> atOnce.ssm().call("GetParameter", DeckhandJson.MAPPER.createObjectNode().put("Name", "x")))
                .isInstanceOf(AwsServiceException.class);
        assertThat(service.requests()).hasSize(sdkAttempts);
        service.requests().clear();

        // The queued 500 answers once more, then a throttle, then success: each retried.
        service.answer(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")
                .answer(200, "{\"Parameter\":{\"Value\":\"v\"}}");
        assertThat(atOnce.ssm().call("GetParameter", DeckhandJson.MAPPER.createObjectNode().put("Name", "x"))
                .path("Parameter").path("Value").asText()).isEqualTo("v");
        assertThat(service.requests()).hasSize(3);
    }

    /**
     * DynamoDB's generated client retries more than the SDK's defaults (its DynamoDbRetryPolicy: 9
     * attempts, back-off from 25 ms), and so does AwsJsonClient for DynamoDB, with back-off as on AWS
     * and without it as on the local cloud. (The generated client, given the local cloud's
     * back-off-free configurator, starts again from the SDK's defaults and makes 4: an SDK quirk
     * this client does not copy.)
     */
    @Test
    void dynamoDbIsAttemptedAsOftenAsByItsGeneratedClient() {
        int generated;
        try (DynamoDbClient dynamo = service.generatedDynamoDb()) {
            generated = dynamo.serviceClientConfiguration().overrideConfiguration().retryStrategy().orElseThrow()
                    .maxAttempts();
        }
        assertThat(generated).as("DynamoDbRetryPolicy's attempts").isEqualTo(9)
                .isGreaterThan(service.clients().ssm().maxAttempts());
        assertThat(service.clients().dynamoDb().maxAttempts()).isEqualTo(generated);

        service.answer(500, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"oops\"}");
        assertThatThrownBy(() -> service.clients().retryingAtOnce().dynamoDb().call("GetItem",
                DeckhandJson.MAPPER.createObjectNode().put("TableName", "t")))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        assertThat(service.requests()).hasSize(generated);
    }

    /**
     * A stopped execution's task thread is interrupted (the local engine's StopExecution, as the
     * Lambda runtime ends an invocation): the generated clients then send nothing and fail with
     * AbortedException "Thread was interrupted", leaving the thread interrupted; so does this client.
     */
    @Test
    void anInterruptedThreadSendsNothingAndStaysInterrupted() {
        service.answer(200, "{}");
        try (EcsClient ecs = service.generatedEcs()) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(ecs::listClusters).isInstanceOf(AbortedException.class)
                    .hasMessageContaining("Thread was interrupted");
            assertThat(Thread.interrupted()).as("the generated client leaves the thread interrupted").isTrue();
        }
        assertThat(service.requests()).as("the generated client sent nothing").isEmpty();

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> service.clients().dynamoDb().call("PutItem",
                    DeckhandJson.MAPPER.createObjectNode().put("TableName", "t")))
                    .isInstanceOf(AbortedException.class).hasMessage("Thread was interrupted");
        } finally {
            assertThat(Thread.interrupted()).as("still interrupted").isTrue();
        }
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> service.clients().sns().call("Publish", java.util.Map.of("Message", "m"), false))
                    .as("the Query client (SNS, STS) alike").isInstanceOf(AbortedException.class);
        } finally {
            assertThat(Thread.interrupted()).as("still interrupted").isTrue();
        }
        assertThat(service.requests()).isEmpty();
    }
}
