package dev.deckhand.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.local.LocalCloud;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests the local cloud does not know get AWS's error shapes, never a hang or an HTML page. */
class AwsGatewayTest {

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
}
