package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.lambda.LocalLambdaContext;
import dev.deckhand.promote.DeploymentApiHandler;
import dev.deckhand.promote.PromotionService;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The promote and status API handler, on API Gateway proxy events from events/api/, over real history. */
class DeploymentApiIT {

    private static LocalDeckhand deckhand;
    private static DeploymentApiHandler api;

    @BeforeAll
    static void deployThreeTimesToDev() throws Exception {
        deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start();
        api = new DeploymentApiHandler(new PromotionService(ConfigurationSource.of(Fixtures.sampleConfiguration()),
                deckhand.history(), deckhand::startExecution), deckhand.history());
        DeployerScenarios scenarios = new DeployerScenarios(deckhand);
        for (String tag : List.of("main-1", "main-2", "main-3")) {
            EcrImage image = deckhand.push("acme/storefront", List.of(tag), ImageBehaviour.healthy());
            assertThat(scenarios.finishedExecutionOf(image).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
    }

    @AfterAll
    static void stop() {
        deckhand.close();
    }

    @Test
    void aPromotionAnswers202WithTheDeploymentItsExecutionAndAStatusUrl() throws Exception {
        JsonNode answer = call("events/api/post-promotion.json", 202, event -> { });

        String id = answer.path("deploymentId").asText();
        assertThat(id).startsWith("storefront.staging.");
        assertThat(answer.path("statusUrl").asText()).isEqualTo("/deployments/" + id);
        assertThat(deckhand.awaitCompletion(answer.path("executionArn").asText(), DeployerScenarios.TIMEOUT).status())
                .isEqualTo(ExecutionStatus.SUCCEEDED);

        JsonNode status = call("events/api/get-deployment.json", 200, event -> {
            event.put("path", "/deployments/" + id);
            ((ObjectNode) event.get("pathParameters")).put("id", id);
        });
        assertThat(status.path("outcome").asText()).isEqualTo("SUCCEEDED");
        JsonNode attempt = status.path("attempts").get(0);
        assertThat(attempt.path("trigger").asText()).isEqualTo("promote");
        assertThat(attempt.path("requestedBy").asText()).isEqualTo("arn:aws:iam::123456789012:user/alice");
        assertThat(attempt.path("timings").has("verified")).isTrue();
    }

    @Test
    void eachRefusalIsA4xxThatSaysWhy() throws Exception {
        assertThat(call("events/api/post-promotion.json", 409, body("{\"service\":\"storefront\",\"from\":\"dev\",\"to\":\"prod\"}"))
                .path("message").asText()).isEqualTo("storefront/prod is promoted from staging, not from dev");
        assertThat(call("events/api/post-promotion.json", 404, body("{\"service\":\"checkout\",\"from\":\"dev\",\"to\":\"staging\"}"))
                .path("message").asText()).isEqualTo("unknown service 'checkout' (configured: storefront, billing-worker)");
        assertThat(call("events/api/post-promotion.json", 409, body("{\"service\":\"storefront\",\"from\":\"dev\",\"to\":\"staging\","
                + "\"digest\":\"sha256:" + "0".repeat(64) + "\"}")).path("message").asText())
                .endsWith("never deployed successfully to storefront/dev");
        assertThat(call("events/api/post-promotion.json", 400, body("{\"service\":\"storefront\",\"from\":\"dev\",\"to\":\"staging\","
                + "\"force\":true}")).path("message").asText()).startsWith("body.force: unknown field");
        assertThat(call("events/api/post-promotion.json", 400, body("not json")).path("message").asText())
                .startsWith("body: not valid JSON");
        assertThat(call("events/api/get-deployment.json", 404, event -> { }).path("message").asText())
                .isEqualTo("no deployment storefront.staging.0123456789abcdef");
    }

    @Test
    void aPromotionWithoutAnIamIdentityIsRefusedAndStartsNothing() throws Exception {
        int executions = deckhand.executions().size();

        JsonNode answer = call("events/api/post-promotion.json", 403,
                event -> ((ObjectNode) event.path("requestContext").path("identity")).putNull("userArn"));

        assertThat(answer.path("message").asText()).contains("no IAM identity");
        assertThat(deckhand.executions()).hasSize(executions);
    }

    @Test
    void historyIsNewestFirstAndPaginated() throws Exception {
        List<String> tags = new ArrayList<>();
        JsonNode page = call("events/api/list-deployments.json", 200, event -> { });
        page.path("deployments").forEach(deployment -> tags.add(deployment.path("tag").asText()));
        String next = page.path("nextToken").asText();
        assertThat(next).isNotEmpty();

        JsonNode second = call("events/api/list-deployments.json", 200,
                event -> ((ObjectNode) event.get("queryStringParameters")).put("nextToken", next));
        second.path("deployments").forEach(deployment -> tags.add(deployment.path("tag").asText()));

        assertThat(tags).containsExactly("main-3", "main-2", "main-1");
        assertThat(call("events/api/list-deployments.json", 400,
                event -> ((ObjectNode) event.get("queryStringParameters")).put("limit", "1000")).path("message").asText())
                .isEqualTo("limit: a whole number from 1 to 100");
        assertThat(call("events/api/list-deployments.json", 400,
                event -> ((ObjectNode) event.get("queryStringParameters")).put("nextToken", "bm90LWEtdG9rZW4"))
                .path("message").asText()).startsWith("nextToken: not a token");
    }

    @Test
    void historyOfAnUnknownServiceOrEnvironmentIsA404NotAnEmptyPage() throws Exception {
        assertThat(call("events/api/list-deployments.json", 404, event -> ((ObjectNode) event.get("pathParameters"))
                .put("service", "storefrnt")).path("message").asText())
                .isEqualTo("unknown service 'storefrnt'; did you mean 'storefront'? (configured: storefront, billing-worker)");
        assertThat(call("events/api/list-deployments.json", 404, event -> ((ObjectNode) event.get("pathParameters"))
                .put("env", "qa")).path("message").asText())
                .isEqualTo("service storefront has no environment 'qa' (environments: dev, staging, prod)");
        assertThat(call("events/api/get-deployment.json", 404, event -> ((ObjectNode) event.get("pathParameters"))
                .put("id", "storefrnt.dev.0123456789abcdef")).path("message").asText()).startsWith("unknown service 'storefrnt'");
    }

    private static Consumer<ObjectNode> body(String body) {
        return event -> event.put("body", body);
    }

    private static JsonNode call(String fixture, int status, Consumer<ObjectNode> edit) throws Exception {
        ObjectNode event = (ObjectNode) DeckhandJson.MAPPER.readTree(Fixtures.read(fixture));
        edit.accept(event);
        APIGatewayProxyRequestEvent request = DeckhandJson.PAYLOADS.treeToValue(event, APIGatewayProxyRequestEvent.class);
        APIGatewayProxyResponseEvent response = api.handleRequest(request,
                new LocalLambdaContext("deckhand-api", "us-east-1", "000000000000"));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
        return DeckhandJson.MAPPER.readTree(response.getBody());
    }
}
