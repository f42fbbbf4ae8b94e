package dev.deckhand.statemachine;

import static dev.deckhand.statemachine.EngineHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The optimized Lambda integration as https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 * describes it: the Invoke response with the parsed Payload, and function errors named by the runtime's errorType.
 */
class LambdaFunctionsTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private static final String INVOKE = """
            {"QueryLanguage": "JSONata", "StartAt": "Resolve environment", "States": {
              "Resolve environment": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:resolve-env:live",
                              "Payload": "{%% $states.input %%}"},
                %s
                "End": true}%s}}""";

    /** The exception a Java handler throws; its class name becomes the error name. */
    static final class EnvironmentNotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EnvironmentNotFound(String message) {
            super(message);
        }
    }

    @Test
    void resultIsTheInvokeResponseWithTheParsedPayload() {
        harness.lambdas.register("resolve-env", event -> json("{\"env\": \"staging\", \"tag\": \"" + event.get("tag").asText() + "\"}"));

        ExecutionDescription done = harness.run(INVOKE.formatted("", ""), "{\"tag\": \"v1\"}");

        JsonNode result = json(done.output());
        assertThat(result.get("Payload")).isEqualTo(json("{\"env\": \"staging\", \"tag\": \"v1\"}"));
        assertThat(result.get("StatusCode").asInt()).isEqualTo(200);
        assertThat(result.get("ExecutedVersion").asText()).isEqualTo("$LATEST");
        assertThat(result.get("SdkHttpMetadata").get("HttpStatusCode").asInt()).isEqualTo(200);
        assertThat(result.get("SdkResponseMetadata").get("RequestId").asText()).isNotBlank();
    }

    @Test
    void aThrownExceptionFailsTheTaskWithItsClassNameAndTheRuntimeErrorPayloadAsCause() {
        harness.lambdas.register("resolve-env", event -> {
            throw new EnvironmentNotFound("no environment for tag v9");
        });

        ExecutionDescription done = harness.run(INVOKE.formatted("", ""), "{\"tag\": \"v9\"}");

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo(EnvironmentNotFound.class.getName());
        JsonNode cause = json(done.cause());
        assertThat(cause.get("errorMessage").asText()).isEqualTo("no environment for tag v9");
        assertThat(cause.get("errorType").asText()).isEqualTo(EnvironmentNotFound.class.getName());
        assertThat(cause.get("stackTrace").isArray()).isTrue();
        assertThat(cause.get("stackTrace").get(0).asText()).contains("LambdaFunctionsTest");
    }

    @Test
    void functionErrorsMatchTaskFailedAndCanBeCaughtByName() {
        harness.lambdas.register("resolve-env", event -> {
            throw new EnvironmentNotFound("none");
        });
        String catchByName = """
                "Catch": [{"ErrorEquals": ["%s"], "Next": "Ignored"}],""".formatted(EnvironmentNotFound.class.getName());
        String catchTaskFailed = """
                "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Ignored"}],""";
        String ignored = ", \"Ignored\": {\"Type\": \"Succeed\"}";

        assertThat(harness.run(INVOKE.formatted(catchByName, ignored), "{}").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(harness.run(INVOKE.formatted(catchTaskFailed, ignored), "{}").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void transientLambdaServiceErrorsAreRetriedAsTheDocsRecommend() {
        // connect-lambda.html recommends retrying Lambda.ServiceException, Lambda.AWSLambdaException,
        // Lambda.SdkClientException and Lambda.TooManyRequestsException.
        AtomicInteger calls = new AtomicInteger();
        harness.lambdas.register("resolve-env", event -> {
            if (calls.incrementAndGet() == 1) {
                throw new StatesError("Lambda.TooManyRequestsException", "Rate Exceeded.");
            }
            return json("{\"ok\": true}");
        });
        String retry = """
                "Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",
                  "Lambda.SdkClientException", "Lambda.TooManyRequestsException"], "IntervalSeconds": 1,
                  "MaxAttempts": 3, "BackoffRate": 2}],""";

        ExecutionDescription done = harness.run(INVOKE.formatted(retry, ""), "{}");

        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void anUnknownFunctionFailsWithResourceNotFound() {
        ExecutionDescription done = harness.run(INVOKE.formatted("", ""), "{}");

        assertThat(done.error()).isEqualTo("Lambda.ResourceNotFoundException");
        assertThat(done.cause()).contains("resolve-env");
    }

    @Test
    void functionNamesResolveFromNamesPartialArnsAndQualifiedArns() {
        assertThat(LambdaFunctions.shortName("resolve-env")).isEqualTo("resolve-env");
        assertThat(LambdaFunctions.shortName("resolve-env:live")).isEqualTo("resolve-env");
        assertThat(LambdaFunctions.shortName("123456789012:function:resolve-env")).isEqualTo("resolve-env");
        assertThat(LambdaFunctions.shortName("arn:aws:lambda:us-east-1:123456789012:function:resolve-env:3"))
                .isEqualTo("resolve-env");
    }

    @Test
    void requestIdsAreDistinctRandomVersion4Uuids() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = LambdaFunctions.requestId();
            java.util.UUID uuid = java.util.UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }
}
