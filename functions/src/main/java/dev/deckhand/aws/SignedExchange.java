package dev.deckhand.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * One request of Deckhand's light clients ({@link AwsJsonClient}, {@link StsAssumeRole}): signed
 * with the SDK's own SigV4 signer, sent, and its whole answer read. A connection that fails is the
 * SDK's {@link SdkClientException}, so callers classify it as the generated clients do.
 *
 * <p>An interrupted thread is answered as the generated clients answer it: the request is not sent
 * (or, interrupted while sending, its answer is dropped) and fails with {@link AbortedException}
 * "Thread was interrupted", which callers never retry, and the thread stays interrupted, so each later
 * call fails alike (sdk-core's InterruptMonitor and its timeout stages). A stopped execution's task
 * thus writes nothing after the stop, which the cleanup of a dead execution counts on.
 */
final class SignedExchange {

    /** The answer: its status, headers and body. */
    record Answer(int status, SdkHttpResponse response, byte[] body) {
    }

    private SignedExchange() {
    }

    /**
     * Where a service is reached: the override (the local cloud, {@code AWS_ENDPOINT_URL}), else its
     * regional endpoint, as the SDK's clients use by default ({@code https://<prefix>.<region>.<dns suffix>}).
     */
    static URI endpoint(URI override, String hostPrefix, Region region) {
        return override != null ? override
                : URI.create("https://" + hostPrefix + "." + region.id() + "." + PartitionMetadata.of(region).dnsSuffix());
    }

    /**
     * A service's refusal as the SDK's own exception: status, code (or "HTTP status" when the answer
     * named none), message, and the whole answer as the raw response, where an adapter reads an
     * error's further members (DynamoDB's {@code CancellationReasons}).
     */
    static AwsServiceException serviceError(int status, String code, String message, String serviceName, byte[] raw) {
        return AwsServiceException.builder().statusCode(status).message(code + ": " + message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code.isEmpty() ? "HTTP " + status : code)
                        .errorMessage(message).serviceName(serviceName).rawResponse(SdkBytes.fromByteArray(raw))
                        .build())
                .build();
    }

    static Answer send(SdkHttpClient http, AwsCredentialsProvider credentials, Region region, String signingName,
            SdkHttpFullRequest unsigned, byte[] body, String what) {
        abortIfInterrupted();
        SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
                .identity(credentials.resolveCredentials())
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(ContentStreamProvider.fromByteArray(body)).build()).call();
            try (InputStream in = response.responseBody().map(InputStream.class::cast)
                    .orElse(InputStream.nullInputStream())) {
                Answer answer = new Answer(response.httpResponse().statusCode(), response.httpResponse(),
                        in.readAllBytes());
                abortIfInterrupted();
                return answer;
            }
        } catch (IOException | UncheckedIOException e) {
            abortIfInterrupted();
            throw SdkClientException.create(what + " did not answer: " + e.getMessage(), e);
        }
    }

    private static void abortIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw AbortedException.create("Thread was interrupted");
        }
    }
}
