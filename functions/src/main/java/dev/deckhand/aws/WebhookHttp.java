package dev.deckhand.aws;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The HTTP client of the channels that post to the web (Slack, GitHub): one per container, built
 * when a report is first posted. Building one makes its own TLS context and starts its selector
 * thread, which a notify function whose environments configure neither channel never needs (the
 * cold-start benchmark, docs/benchmarks.md).
 */
final class WebhookHttp {

    private static final class Holder {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    private WebhookHttp() {
    }

    static HttpClient client() {
        return Holder.CLIENT;
    }
}
