package dev.deckhand.local.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.deckhand.local.aws.AwsErrorException;
import dev.deckhand.local.aws.JsonProtocolService;
import dev.deckhand.local.aws.RequestValidator;
import dev.deckhand.local.gateway.ServiceRules;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * A test-only stand-in for the local cloud's HTTP server: answers the AWS JSON protocol on
 * 127.0.0.1 (ephemeral port) by handing {@code X-Amz-Target} to the services, and renders
 * {@link AwsErrorException} the way AWS does ({@code __type}, {@code message}, {@code x-amzn-ErrorType}).
 */
public final class AwsJsonHarness implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, RequestValidator> VALIDATORS = ServiceRules.byTargetPrefix();

    private final HttpServer server;
    private final Map<String, JsonProtocolService> services;

    private AwsJsonHarness(HttpServer server, Map<String, JsonProtocolService> services) {
        this.server = server;
        this.services = services;
    }

    public static AwsJsonHarness start(JsonProtocolService... services) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AwsJsonHarness harness = new AwsJsonHarness(server, Arrays.stream(services)
                .collect(Collectors.toMap(JsonProtocolService::targetPrefix, Function.identity())));
        server.createContext("/", harness::answer);
        server.start();
        return harness;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Builds an SDK client pointed at this harness, the way the handlers are pointed at the local cloud. */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            int dot = target == null ? -1 : target.indexOf('.');
            JsonProtocolService service = dot < 0 ? null : services.get(target.substring(0, dot));
            if (service == null) {
                respondError(exchange, new AwsErrorException(400, "UnknownOperationException",
                        "No service for X-Amz-Target " + target));
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            try {
                // Validated as the local cloud's gateway validates it, so tests through the harness are held
                // to the same rules as everything through the real port.
                RequestValidator validator = VALIDATORS.get(target.substring(0, dot));
                if (validator != null) {
                    validator.validate(target.substring(dot + 1), request);
                }
                respond(exchange, 200, service.handle(target.substring(dot + 1), request).toString(), null);
            } catch (AwsErrorException e) {
                respondError(exchange, e);
            } catch (RuntimeException e) {
                respondError(exchange, new AwsErrorException(500, "InternalFailure", e.toString()));
            }
        }
    }

    private static void respondError(HttpExchange exchange, AwsErrorException error) throws IOException {
        String body = JSON.createObjectNode().put("__type", error.errorCode()).put("message", error.getMessage()).toString();
        respond(exchange, error.httpStatus(), body, error.errorCode());
    }

    private static void respond(HttpExchange exchange, int status, String body, String errorType) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        if (errorType != null) {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
