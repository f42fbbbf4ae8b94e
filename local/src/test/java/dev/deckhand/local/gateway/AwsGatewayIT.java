package dev.deckhand.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.local.LocalCloud;
import dev.deckhand.local.testing.SlowClients;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/** Requests the local cloud does not know get AWS's error shapes, never a hang or an HTML page. */
class AwsGatewayIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalCloud cloud;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().port(0).dynamoDb(false).build().start();
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    private static HttpResponse<String> post(String contentType, String target, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(cloud.endpoint().resolve("/"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unknownJsonOperationAnswersUnknownOperationException() throws Exception {
        HttpResponse<String> response = post("application/x-amz-json-1.1", "AmazonSSM.LabelParameterVersion", "{}");

        JsonNode body = JSON.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("UnknownOperationException");
        assertThat(body.path("__type").asText()).isEqualTo("UnknownOperationException");
        assertThat(body.path("message").asText()).contains("AmazonSSM.LabelParameterVersion");
    }

    @Test
    void unknownJsonServiceAnswersUnknownOperationException() throws Exception {
        HttpResponse<String> response = post("application/x-amz-json-1.0", "AmazonSQS.SendMessage", "{}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/x-amz-json-1.0");
        assertThat(JSON.readTree(response.body()).path("__type").asText()).isEqualTo("UnknownOperationException");
    }

    @Test
    void unknownQueryActionAnswersInvalidActionInXml() throws Exception {
        HttpResponse<String> response = post("application/x-www-form-urlencoded", null,
                "Action=Subscribe&Version=2010-03-31");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("<ErrorResponse").contains("<Code>InvalidAction</Code>")
                .contains("<Type>Sender</Type>");
    }

    @Test
    void requestWithoutAnyOperationAnswersAJsonError() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(cloud.endpoint().resolve("/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("__type").asText()).isEqualTo("UnknownOperationException");
    }

    @Test
    void malformedJsonAnswersSerializationException() throws Exception {
        HttpResponse<String> response = post("application/x-amz-json-1.1", "AmazonSSM.GetParameter", "{oops");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("__type").asText()).isEqualTo("SerializationException");
    }

    @Test
    void threeHundredStalledClientsDoNotStarveAnSdkRequest() throws Exception {
        // Bounded: 300 connections, each sends half a request and stalls; all closed when the test ends.
        try (SlowClients stalled = SlowClients.open(cloud.endpoint(), 300);
                SsmClient ssm = SsmClient.builder().endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                        .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            long started = System.nanoTime();
            ssm.putParameter(r -> r.name("/slow-clients/probe").value("answered").type("String"));
            String value = ssm.getParameter(r -> r.name("/slow-clients/probe")).parameter().value();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(value).isEqualTo("answered");
            assertThat(stalled.open()).isEqualTo(300);
            assertThat(took).isLessThan(Duration.ofSeconds(5));
            System.out.println("Two SSM calls beside 300 stalled clients answered in " + took.toMillis() + " ms");
        }
    }
}
