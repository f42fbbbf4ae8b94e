package dev.deckhand.health;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Health probes over HTTP with the JDK's client (no extra dependency in the Lambda jar). */
public final class HttpHealthProbe implements HealthProbe {

    /** Enough body for a status page or a version field; a health check is no place for megabytes. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final HttpClient client;

    public HttpHealthProbe() {
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Override
    public ProbeAnswer probe(String url, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("User-Agent", "Deckhand-HealthCheck")
                .GET()
                .build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                byte[] bytes = body.readNBytes(MAX_BODY_BYTES);
                return ProbeAnswer.answered(response.statusCode(), new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (HttpConnectTimeoutException e) {
            return ProbeAnswer.noAnswer("connection timed out");
        } catch (HttpTimeoutException e) {
            return ProbeAnswer.noAnswer("timed out after " + timeout.toSeconds() + " s");
        } catch (ConnectException e) {
            return ProbeAnswer.noAnswer("connection refused");
        } catch (UnknownHostException e) {
            return ProbeAnswer.noAnswer("unknown host " + URI.create(url).getHost());
        } catch (IOException e) {
            return ProbeAnswer.noAnswer(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeAnswer.noAnswer("interrupted");
        }
    }
}
