package dev.deckhand.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * One operation of an AWS JSON 1.1 service (SSM, CloudWatch Logs, Secrets Manager), signed with
 * the SDK's SigV4 signer and sent over the shared URL-connection client. Deckhand makes one call
 * of each of these services; their generated SDK clients would add 8 MiB of models to the Lambda
 * jar and a client build to the cold start. Errors surface as the SDK's own
 * {@link AwsServiceException} (status, error code, message) and {@link SdkClientException}, so
 * {@link AwsCalls} classifies them exactly as it does the generated clients' errors.
 */
public final class AwsJsonClient {

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final URI endpoint;
    private final URI endpointOverride;
    private final String signingName;
    private final String targetPrefix;

    AwsJsonClient(SdkHttpClient http, AwsCredentialsProvider credentials, Region region, URI endpointOverride,
            String signingName, String targetPrefix) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpointOverride = endpointOverride;
        this.endpoint = endpointOverride != null ? endpointOverride
                : URI.create("https://" + signingName + "." + region.id() + "."
                        + PartitionMetadata.of(region).dnsSuffix());
        this.signingName = signingName;
        this.targetPrefix = targetPrefix;
    }

    /** The same service in another region (an endpoint override, as the local cloud's, still applies). */
    public AwsJsonClient inRegion(String regionId) {
        return regionId == null || regionId.equals(region.id()) ? this
                : new AwsJsonClient(http, credentials, Region.of(regionId), endpointOverride, signingName, targetPrefix);
    }

    /** Calls {@code operation} with {@code request} as its JSON body and returns the parsed answer. */
    public JsonNode call(String operation, ObjectNode request) {
        byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", targetPrefix + "." + operation)
                // As the SDK's pipeline sets it: the URL-connection client then streams a fixed length.
                .putHeader("Content-Length", String.valueOf(body.length))
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
                .identity(credentials.resolveCredentials())
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
        HttpExecuteResponse response;
        byte[] answer;
        try {
            response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(ContentStreamProvider.fromByteArray(body)).build()).call();
            try (InputStream in = response.responseBody().map(InputStream.class::cast)
                    .orElse(InputStream.nullInputStream())) {
                answer = in.readAllBytes();
            }
        } catch (IOException | UncheckedIOException e) {
            throw SdkClientException.create(targetPrefix + "." + operation + " did not answer: " + e.getMessage(), e);
        }
        JsonNode parsed = parse(answer);
        int status = response.httpResponse().statusCode();
        if (status / 100 != 2) {
            throw serviceError(status, parsed, response.httpResponse().firstMatchingHeader("x-amzn-ErrorType")
                    .orElse(null));
        }
        return parsed;
    }

    private AwsServiceException serviceError(int status, JsonNode body, String errorTypeHeader) {
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
        return AwsServiceException.builder().statusCode(status).message(code + ": " + message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code.isEmpty() ? "HTTP " + status : code)
                        .errorMessage(message).serviceName(signingName).build())
                .build();
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
