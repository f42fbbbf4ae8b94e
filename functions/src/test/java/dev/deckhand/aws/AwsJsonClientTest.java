package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.deckhand.errors.AwsRequestRejectedException;
import dev.deckhand.errors.ConfigurationUnavailableException;
import dev.deckhand.errors.TransientAwsException;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.testing.Fixtures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The one-operation AWS JSON 1.1 client against a loopback HTTP server standing in for the
 * service: what it sends (the headers the SDK's generated clients send: {@code X-Amz-Target:
 * AmazonSSM.GetParameter}, {@code Content-Type: application/x-amz-json-1.1}, a SigV4 signature
 * scoped to the service's signing name) and how AWS JSON errors ({@code __type}, {@code message})
 * become Deckhand's transient and rejected errors.
 */
class AwsJsonClientTest {

    private HttpServer server;
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<Answer> answer = new AtomicReference<>(new Answer(200, "{}"));

    private record Answer(int status, String body) {
    }

    @BeforeEach
    void startService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(Map.of("target", String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target")),
                    "contentType", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")),
                    "authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                    "body", body));
            byte[] bytes = answer.get().body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(answer.get().status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopService() {
        server.stop(0);
    }

    private AwsJsonClient ssm() {
        return AwsClients.forEndpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Region.EU_WEST_1, StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .ssm();
    }

    @Test
    void sendsASignedJsonRequestWithTheOperationAsTarget() {
        answer.set(new Answer(200, "{\"Parameter\":{\"Name\":\"/deckhand/config\",\"Value\":\"text\"}}"));

        var result = ssm().call("GetParameter", DeckhandJson.MAPPER.createObjectNode().put("Name", "/deckhand/config"));

        assertThat(result.path("Parameter").path("Value").asText()).isEqualTo("text");
        Map<String, String> request = requests.get(0);
        assertThat(request.get("target")).isEqualTo("AmazonSSM.GetParameter");
        assertThat(request.get("contentType")).isEqualTo("application/x-amz-json-1.1");
        assertThat(request.get("body")).isEqualTo("{\"Name\":\"/deckhand/config\"}");
        // SigV4: Credential=<key>/<date>/<region>/<service>/aws4_request.
        assertThat(request.get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                .contains("/eu-west-1/ssm/aws4_request");
    }

    @Test
    void aClientForAnotherRegionSignsForThatRegion() {
        // A task definition's awslogs-region may differ from the function's: the log tail is read there.
        AwsJsonClient logs = AwsClients.forEndpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Region.EU_WEST_1, StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .logs();

        logs.inRegion("us-west-2").call("GetLogEvents", DeckhandJson.MAPPER.createObjectNode());
        logs.inRegion(null).call("GetLogEvents", DeckhandJson.MAPPER.createObjectNode());

        assertThat(requests.get(0).get("target")).isEqualTo("Logs_20140328.GetLogEvents");
        assertThat(requests.get(0).get("authorization")).contains("/us-west-2/logs/aws4_request");
        assertThat(requests.get(1).get("authorization")).contains("/eu-west-1/logs/aws4_request");
        assertThat(logs.inRegion("eu-west-1")).isSameAs(logs);
    }

    @Test
    void aFourHundredIsRejectedWithTheServicesErrorCodeAndMessage() {
        answer.set(new Answer(400, "{\"__type\":\"ParameterNotFound\",\"message\":\"no such parameter\"}"));

        assertThatThrownBy(() -> AwsCalls.call("GetParameter x",
                () -> ssm().call("GetParameter", DeckhandJson.MAPPER.createObjectNode().put("Name", "x"))))
                .isInstanceOf(AwsRequestRejectedException.class)
                .hasMessage("GetParameter x was rejected (ParameterNotFound: no such parameter)");
    }

    @Test
    void throttlingAndServerErrorsAreTransient() {
        answer.set(new Answer(400, "{\"__type\":\"com.amazonaws.ssm#ThrottlingException\",\"message\":\"Rate exceeded\"}"));
        assertThatThrownBy(() -> AwsCalls.call("GetParameter x",
                () -> ssm().call("GetParameter", DeckhandJson.MAPPER.createObjectNode().put("Name", "x"))))
                .isInstanceOf(TransientAwsException.class).hasMessageContaining("ThrottlingException: Rate exceeded");

        answer.set(new Answer(500, "{\"__type\":\"InternalServerError\",\"message\":\"oops\"}"));
        assertThatThrownBy(() -> AwsCalls.call("GetParameter x",
                () -> ssm().call("GetParameter", DeckhandJson.MAPPER.createObjectNode().put("Name", "x"))))
                .isInstanceOf(TransientAwsException.class);
    }

    @Test
    void theConfigurationParameterIsReadOnceInFiveMinutes() {
        answer.set(new Answer(200, DeckhandJson.MAPPER.createObjectNode().set("Parameter",
                DeckhandJson.MAPPER.createObjectNode().put("Value", Fixtures.read("deckhand.yml"))).toString()));
        MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
        SsmConfigurationSource source = new SsmConfigurationSource(ssm(), "/deckhand/config", clock);

        assertThat(source.load()).hasToString(Fixtures.sampleConfiguration().toString());
        source.load();
        assertThat(requests).hasSize(1);

        clock.now = clock.now.plus(SsmConfigurationSource.CACHE);
        source.load();
        assertThat(requests).hasSize(2);
    }

    @Test
    void aMissingConfigurationParameterSaysSoInOneLine() {
        answer.set(new Answer(400, "{\"__type\":\"ParameterNotFound\",\"message\":\"\"}"));

        assertThatThrownBy(() -> new SsmConfigurationSource(ssm(), "/deckhand/missing").load())
                .isInstanceOf(ConfigurationUnavailableException.class)
                .hasMessage("SSM parameter /deckhand/missing does not exist");
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
