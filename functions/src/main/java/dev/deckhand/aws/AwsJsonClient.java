package dev.deckhand.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * One operation of an AWS JSON service (DynamoDB, ECS, SSM, CloudWatch Logs, Secrets Manager, ECR,
 * EventBridge, Step Functions, CloudWatch), signed with the SDK's SigV4 signer and sent over the shared URL-connection
 * client. Deckhand makes one or two calls of each of these services; their generated SDK clients
 * would add about 13 MiB of models to the Lambda jar and a client build to the cold start. Errors
 * surface as the SDK's own {@link AwsServiceException} (status, error code, message) and
 * {@link SdkClientException}, so {@link AwsCalls} classifies them exactly as it does the generated
 * clients' errors.
 *
 * <p>Retries are the generated clients' own ({@link SdkRetries}). A service whose generated client
 * changes the SDK's defaults (DynamoDB's) passes the same changes ({@link AwsClients#dynamoDb()}).
 *
 * <p>An interrupted thread's call fails with {@link AbortedException} ({@link SignedExchange}) and is
 * never retried, as the generated clients do.
 */
public final class AwsJsonClient {

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final URI endpoint;
    private final URI endpointOverride;
    private final String signingName;
    private final String targetPrefix;
    private final String hostPrefix;
    private final String jsonVersion;
    private final String contentType;
    private final boolean backOff;
    private final Consumer<RetryStrategy.Builder<?, ?>> serviceRetries;
    private final SdkRetries retries;

    /**
     * @param hostPrefix the endpoint's first labels ({@code api.ecr} for ECR), usually the signing name
     * @param jsonVersion the AWS JSON protocol version, {@code 1.0} or {@code 1.1}
     * @param serviceRetries what the service's generated client changes in the SDK's default retry strategy
     */
    AwsJsonClient(SdkHttpClient http, AwsCredentialsProvider credentials, Region region, URI endpointOverride,
            String hostPrefix, String signingName, String targetPrefix, String jsonVersion, boolean backOff,
            Consumer<RetryStrategy.Builder<?, ?>> serviceRetries) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpointOverride = endpointOverride;
        this.endpoint = SignedExchange.endpoint(endpointOverride, hostPrefix, region);
        this.signingName = signingName;
        this.targetPrefix = targetPrefix;
        this.hostPrefix = hostPrefix;
        this.jsonVersion = jsonVersion;
        this.contentType = "application/x-amz-json-" + jsonVersion;
        this.backOff = backOff;
        this.serviceRetries = serviceRetries;
        this.retries = new SdkRetries(signingName, serviceRetries, backOff);
    }

    /** How many attempts a call makes at most (the first one included). */
    int maxAttempts() {
        return retries.maxAttempts();
    }

    /** The same service in another region (an endpoint override, as the local cloud's, still applies). */
    public AwsJsonClient inRegion(String regionId) {
        return regionId == null || regionId.equals(region.id()) ? this
                : new AwsJsonClient(http, credentials, Region.of(regionId), endpointOverride, hostPrefix, signingName,
                        targetPrefix, jsonVersion, backOff, serviceRetries);
    }

    /**
     * Calls {@code operation} with {@code request} as its JSON body and returns the parsed answer,
     * retrying as the SDK's generated clients do; the last attempt's error escapes.
     */
    public JsonNode call(String operation, ObjectNode request) {
        byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);
        return retries.run(() -> send(operation, body));
    }

    /** One attempt, signed afresh (the signature carries the time). */
    private JsonNode send(String operation, byte[] body) {
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", contentType)
                .putHeader("X-Amz-Target", targetPrefix + "." + operation)
                // As the SDK's pipeline sets it: the URL-connection client then streams a fixed length.
                .putHeader("Content-Length", String.valueOf(body.length))
                .build();
        SignedExchange.Answer response = SignedExchange.send(http, credentials, region, signingName, unsigned, body,
                targetPrefix + "." + operation);
        byte[] answer = response.body();
        int status = response.status();
        // An error page that is not JSON (a proxy's 503) still fails with its status, so it is retried.
        JsonNode parsed = status / 100 != 2 && !looksLikeJson(answer) ? DeckhandJson.MAPPER.createObjectNode()
                : parse(answer);
        if (status / 100 != 2) {
            throw serviceError(status, parsed, answer, response.response().firstMatchingHeader("x-amzn-ErrorType")
                    .orElse(null));
        }
        return parsed;
    }

    /** The error named in a JSON protocol's answer, as the SDK's own ({@link SignedExchange#serviceError}). */
    private AwsServiceException serviceError(int status, JsonNode body, byte[] raw, String errorTypeHeader) {
        // The JSON protocols name the error in "__type" (sometimes "namespace#Code") or in the
        // x-amzn-ErrorType header ("Code:uri"); the message is "message" or "Message".
        String type = body.path("__type").asText("");
        if (type.isEmpty() && errorTypeHeader != null) {
            type = errorTypeHeader;
        }
        String code = type.substring(type.indexOf('#') + 1);
        if (code.contains(":")) {
            code = code.substring(0, code.indexOf(':'));
        }
        String message = body.hasNonNull("message") ? body.get("message").asText() : body.path("Message").asText("");
        return SignedExchange.serviceError(status, code, message, signingName, raw);
    }

    private static boolean looksLikeJson(byte[] answer) {
        String text = new String(answer, StandardCharsets.UTF_8).strip();
        return text.startsWith("{");
    }

    private JsonNode parse(byte[] answer) {
        if (answer.length == 0) {
            return DeckhandJson.MAPPER.createObjectNode();
        }
        try {
            return DeckhandJson.MAPPER.readTree(answer);
        } catch (IOException e) {
            throw SdkClientException.create(targetPrefix + " answered with a body that is not JSON", e);
        }
    }
}
