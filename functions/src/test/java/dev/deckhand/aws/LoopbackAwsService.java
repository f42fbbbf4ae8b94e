package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.deckhand.json.DeckhandJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.EcsClientBuilder;

/**
 * A real HTTP server on loopback standing in for an AWS JSON service: it records every request
 * (target, content type, authorization, body) and answers from a script, the last answer repeating.
 */
final class LoopbackAwsService implements AutoCloseable {

    record Request(String target, String contentType, String authorization, String body) {
        JsonNode json() {
            try {
                return DeckhandJson.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record Answer(int status, String body) {
    }

    /** An answer status that closes the connection without answering (a network failure to the client). */
    static final int HANG_UP = -1;

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Answer> answers = new ArrayDeque<>();

    LoopbackAwsService() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestHeaders().getFirst("X-Amz-Target"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            Answer answer = next();
            if (answer.status() == HANG_UP) {
                exchange.close();
                return;
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    /** Answers the next request with {@code status} and {@code body} (the last one answers all later requests). */
    LoopbackAwsService answer(int status, String body) {
        synchronized (answers) {
            answers.addLast(new Answer(status, body));
        }
        return this;
    }

    private Answer next() {
        synchronized (answers) {
            return answers.size() > 1 ? answers.removeFirst() : answers.isEmpty() ? new Answer(200, "{}") : answers.peek();
        }
    }

    List<Request> requests() {
        return requests;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Deckhand's clients for this endpoint, as the local cloud's are built. */
    AwsClients clients() {
        return AwsClients.forEndpoint(endpoint(), Region.EU_WEST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")));
    }

    /**
     * The SDK's generated ECS client for this endpoint: the reference for how often the generated
     * clients attempt a call (retrying at once, as the local cloud's clients do, if asked).
     */
    EcsClient generatedEcs(boolean retryingAtOnce) {
        EcsClientBuilder builder = EcsClient.builder().endpointOverride(endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create());
        if (retryingAtOnce) {
            builder.overrideConfiguration(override -> override.retryStrategy(AwsClients::withoutBackOff));
        }
        return builder.build();
    }

    EcsClient generatedEcs() {
        return generatedEcs(false);
    }

    /**
     * How many requests the SDK's generated ECS client sends for one call that every answer fails
     * with a 500 (it answers so from now on); the requests are forgotten afterwards.
     */
    int attemptsOfTheGeneratedClientAtAServerError(boolean retryingAtOnce) {
        answer(500, "{\"__type\":\"InternalFailure\",\"message\":\"oops\"}");
        try (EcsClient ecs = generatedEcs(retryingAtOnce)) {
            assertThatThrownBy(ecs::listClusters).isInstanceOf(AwsServiceException.class);
        }
        int attempts = requests.size();
        requests.clear();
        return attempts;
    }

    /** The SDK's generated DynamoDB client for this endpoint, as built by default (its retry policy). */
    DynamoDbClient generatedDynamoDb() {
        return DynamoDbClient.builder().endpointOverride(endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
