package dev.deckhand.local.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.lambda.LocalLambdaContext;
import dev.deckhand.promote.DeploymentApiHandler;
import dev.deckhand.promote.PromotionService;
import dev.deckhand.resolve.ResolveEnvironmentHandler;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionException;
import dev.deckhand.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The hostile inputs {@link BadInputFuzzIT} found answered with messages that named Java classes
 * or broke the line; each now has one clear line. Kept as plain cases so they never come back.
 */
class HostileInputMessagesIT {

    private static final ResolveEnvironmentHandler RESOLVER =
            new ResolveEnvironmentHandler(ConfigurationSource.of(Fixtures.sampleConfiguration()));
    /** Refusals before any history read: the history is never reached. */
    private static final DeploymentApiHandler API = new DeploymentApiHandler(new PromotionService(
            ConfigurationSource.of(Fixtures.sampleConfiguration()), unreachableHistory(),
            input -> {
                throw new AssertionError("a refused promotion started an execution");
            }), unreachableHistory());

    @Test
    void inputNestedTooDeeplyIsRefusedWithoutNamingJacksonSettings() {
        String deep = "[".repeat(1001) + "]".repeat(1001);

        InvalidInputException refused = resolveRefused("{\"detail\":" + deep + "}");

        assertThat(refused.getMessage()).isEqualTo(
                "input is not valid JSON: Document nesting depth (1001) exceeds the maximum allowed (1000)");
        assertThat(apiMessage(400, deep)).isEqualTo(
                "body: not valid JSON: Document nesting depth (1001) exceeds the maximum allowed (1000)");
    }

    @Test
    void anExecutionInputThatIsNotJsonOrNestedToTheLimitIsRefusedWithANamedError() throws Exception {
        String deep = "[".repeat(999) + "]".repeat(999);
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start()) {
            ExecutionDescription end = deckhand.awaitCompletion(deckhand.startExecution("{\"version\":" + deep + "}"),
                    java.time.Duration.ofSeconds(60));

            assertThat(end.error()).isEqualTo("dev.deckhand.errors.InvalidInputException");
            assertThat(catchThrowableOfType(ExecutionException.class, () -> deckhand.startExecution(
                    Fixtures.read("events/ecr/push-dev-feature.json") + "}")).errorCode())
                    .as("input with a trailing '}' is not JSON").isEqualTo("InvalidExecutionInput");
            // The cause is the message people read, not the Lambda runtime's payload with a stack trace.
            assertThat(end.cause()).startsWith("input is neither an ECR image event").doesNotContain("stackTrace");
        }
    }

    @Test
    void trailingGarbageIsRefusedWithoutNamingJacksonClasses() {
        InvalidInputException refused = resolveRefused(Fixtures.read("events/ecr/push-dev-feature.json") + "{}");

        assertThat(refused.getMessage()).startsWith("input is not valid JSON: Trailing token")
                .doesNotContain("`").doesNotContain("com.fasterxml").doesNotContain("DeserializationFeature");
        assertThat(ClearMessage.problems(refused.getMessage())).isEmpty();
    }

    @Test
    void aMalformedTokenWithAControlCharacterIsQuotedOnOneLine() {
        InvalidInputException refused = resolveRefused("{\"promotion\":n\0ull}");

        assertThat(refused.getMessage()).startsWith("input is not valid JSON: Unrecognized token 'n?ull'");
        assertThat(ClearMessage.problems(refused.getMessage())).isEmpty();
    }

    @Test
    void anIgnoredImageActionSaysItsActionOnOneLine() throws Exception {
        ObjectNode event = (ObjectNode) DeckhandJson.MAPPER.readTree(Fixtures.read("events/ecr/delete.json"));
        ((ObjectNode) event.get("detail")).put("action-type", "DELETE\nPUSH").put("result", "\u0000")
                .put("repository-name", "not a repository\n" + "x".repeat(10_000));

        JsonNode decision = resolve(event.toString());

        assertThat(decision.path("outcome").asText()).isEqualTo("IGNORED");
        assertThat(decision.path("reason").asText())
                .isEqualTo("ECR action DELETE?PUSH with result ? does not deploy; only a successful PUSH does");
        assertThat(decision.has("repository")).isFalse();
    }

    @Test
    void aPromotionBodyWithControlCharactersOrHugeValuesIsAnsweredOnOneShortLine() {
        assertThat(apiMessage(400, "{\"service\":\"store\\nfront\",\"from\":\"dev\",\"to\":\"staging\"}"))
                .isEqualTo("body.service: 'store?front' is not a service or environment name");
        assertThat(apiMessage(400, "{\"service\":\"storefront\",\"from\":\"dev\",\"to\":\"staging\",\"for\\u0000ce\":1}"))
                .isEqualTo("body.for?ce: unknown field; a promotion has service, from, to and digest");
        String digest = "sha256:\\n" + "a".repeat(100_000);
        String message = apiMessage(400, "{\"service\":\"storefront\",\"from\":\"dev\",\"to\":\"staging\",\"digest\":\""
                + digest + "\"}");
        assertThat(message).startsWith("digest 'sha256:?aaaa").endsWith("(100008 characters) is not sha256: and 64 hex digits");
        assertThat(ClearMessage.problems(message)).isEmpty();
    }

    private static InvalidInputException resolveRefused(String input) {
        return catchThrowableOfType(InvalidInputException.class, () -> resolve(input));
    }

    private static JsonNode resolve(String input) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        RESOLVER.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), output,
                new LocalLambdaContext("deckhand-resolve-env", "us-east-1", "000000000000"));
        return DeckhandJson.MAPPER.readTree(output.toByteArray());
    }

    private static String apiMessage(int status, String body) {
        try {
            ObjectNode event = (ObjectNode) DeckhandJson.MAPPER.readTree(Fixtures.read("events/api/post-promotion.json"));
            event.put("body", body);
            APIGatewayProxyResponseEvent response = API.handleRequest(
                    DeckhandJson.PAYLOADS.treeToValue(event, APIGatewayProxyRequestEvent.class),
                    new LocalLambdaContext("deckhand-api", "us-east-1", "000000000000"));
            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
            return DeckhandJson.MAPPER.readTree(response.getBody()).path("message").asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static DeploymentHistory unreachableHistory() {
        return (DeploymentHistory) java.lang.reflect.Proxy.newProxyInstance(DeploymentHistory.class.getClassLoader(),
                new Class<?>[] {DeploymentHistory.class}, (proxy, method, args) -> {
                    throw new AssertionError("a refusal before the history read " + method.getName());
                });
    }
}
