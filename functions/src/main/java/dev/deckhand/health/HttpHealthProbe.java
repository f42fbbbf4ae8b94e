package dev.deckhand.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Health probes over HTTP with the JDK's client (no extra dependency in the Lambda jar). The
 * timeout bounds the whole answer — connection, headers and body: the client's own request
 * timeout stops at the headers, so a server trickling its body would otherwise hold a probe (and
 * the health Lambda) far past its budget.
 */
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
        LimitedBody body = new LimitedBody();
        CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(request, info -> body);
        try {
            HttpResponse<byte[]> response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return ProbeAnswer.answered(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            body.abandon();
            answer.cancel(true);
            return ProbeAnswer.noAnswer("timed out after " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            return failure(e.getCause(), url, timeout);
        } catch (InterruptedException e) {
            body.abandon();
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return ProbeAnswer.noAnswer("interrupted");
        }
    }

    private static ProbeAnswer failure(Throwable cause, String url, Duration timeout) {
        if (cause instanceof HttpConnectTimeoutException) {
            return ProbeAnswer.noAnswer("connection timed out");
        }
        if (cause instanceof HttpTimeoutException) {
            return ProbeAnswer.noAnswer("timed out after " + timeout.toSeconds() + " s");
        }
        if (cause instanceof ConnectException) {
            return ProbeAnswer.noAnswer("connection refused");
        }
        if (cause instanceof UnknownHostException) {
            return ProbeAnswer.noAnswer("unknown host " + URI.create(url).getHost());
        }
        if (cause instanceof IOException) {
            return ProbeAnswer.noAnswer(cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        }
        return ProbeAnswer.noAnswer(cause.getClass().getSimpleName());
    }

    /**
     * Collects at most {@link #MAX_BODY_BYTES} and then stops reading; {@link #abandon} cancels
     * the subscription, which closes the exchange when the deadline passes mid-body.
     */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), MAX_BODY_BYTES - bytes.size());
                byte[] chunk = new byte[take];
                buffer.get(chunk);
                bytes.write(chunk, 0, take);
            }
            if (bytes.size() >= MAX_BODY_BYTES) {
                subscription.cancel();
                result.complete(bytes.toByteArray());
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }

        void abandon() {
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }
    }
}
