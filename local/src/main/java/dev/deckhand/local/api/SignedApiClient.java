package dev.deckhand.local.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/** Calls the promote and status API with SigV4-signed requests, as the AWS CLI or an SDK would. */
public final class SignedApiClient {

    private final URI base;
    private final Region region;
    private final AwsCredentials credentials;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public SignedApiClient(URI base, Region region, AwsCredentials credentials) {
        this.base = base;
        this.region = region;
        this.credentials = credentials;
    }

    /** An answer: the status and the JSON body as text. */
    public record Answer(int status, String body) {
    }

    public Answer post(String path, String json) throws IOException, InterruptedException {
        return send(SdkHttpMethod.POST, path, json);
    }

    public Answer put(String path, String json) throws IOException, InterruptedException {
        return send(SdkHttpMethod.PUT, path, json);
    }

    public Answer delete(String path) throws IOException, InterruptedException {
        return send(SdkHttpMethod.DELETE, path, null);
    }

    public Answer get(String pathAndQuery) throws IOException, InterruptedException {
        return send(SdkHttpMethod.GET, pathAndQuery, null);
    }

    private Answer send(SdkHttpMethod method, String pathAndQuery, String json) throws IOException, InterruptedException {
        // Appended, not resolved: an API Gateway base URL ends in its stage (…/prod), which must stay.
        String root = base.toString().replaceAll("/+$", "");
        URI uri = URI.create(root + (pathAndQuery.startsWith("/") ? "" : "/") + pathAndQuery);
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder().method(method).uri(uri)
                .putHeader("Host", uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()))
                .contentStreamProvider(() -> new java.io.ByteArrayInputStream(body));
        if (json != null) {
            unsigned.putHeader("Content-Type", "application/json");
        }
        SdkHttpFullRequest signed = Aws4Signer.create().sign(unsigned.build(), Aws4SignerParams.builder()
                .awsCredentials(credentials).signingName(SigV4Check.SERVICE).signingRegion(region).build());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method.name(), json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        // The JDK client sets Host itself and refuses to be given it.
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }
}
