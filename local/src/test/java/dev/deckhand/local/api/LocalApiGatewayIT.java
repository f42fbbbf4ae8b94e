package dev.deckhand.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.catalogue.DeployerFunction;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.iam.IamEnforcement;
import dev.deckhand.local.testing.SlowClients;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.testing.Fixtures;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;

/** The promote API over real HTTP on loopback, with SigV4 checked as IAM authorization would. */
class LocalApiGatewayIT {

    private static final String PROMOTION = "{\"service\":\"storefront\",\"from\":\"dev\",\"to\":\"staging\"}";

    private static LocalDeckhand deckhand;

    @BeforeAll
    static void deployToDev() throws Exception {
        deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration())
                .apiCaller("AKIDOTHERACCOUNT", "other-secret", "999999999999").start();
        EcrImage image = deckhand.push("acme/storefront", List.of("main-1"), ImageBehaviour.healthy());
        assertThat(deckhand.awaitCompletion(deckhand.executionStartedBy(image, Duration.ofSeconds(60)), Duration.ofSeconds(60))
                .status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(image.uri()).contains("@sha256:");
    }

    @AfterAll
    static void stop() {
        deckhand.close();
    }

    @Test
    void aSignedPromotionStartsAndItsStatusCanBeRead() throws Exception {
        SignedApiClient.Answer answer = client(LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY)
                .post("/promotions", PROMOTION);

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        JsonNode body = DeckhandJson.MAPPER.readTree(answer.body());
        assertThat(deckhand.awaitCompletion(body.path("executionArn").asText(), Duration.ofSeconds(60)).status())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
        SignedApiClient.Answer status = client(LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY)
                .get(body.path("statusUrl").asText());
        assertThat(status.status()).isEqualTo(200);
        JsonNode attempt = DeckhandJson.MAPPER.readTree(status.body()).path("attempts").get(0);
        assertThat(attempt.path("requestedBy").asText()).isEqualTo("arn:aws:iam::000000000000:user/deckhand");
        assertThat(attempt.path("outcome").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void theApisOwnCallsSignWithItsRoleAndAreAuthorizedAgainstItsPolicy() throws Exception {
        IamEnforcement iam = deckhand.iam().orElseThrow();
        String apiKey = LocalDeckhand.accessKeyOf(DeployerFunction.DEPLOYMENT_API);
        long before = iam.authorized(apiKey);
        int denied = iam.denials().size();

        SignedApiClient.Answer answer = client(LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY)
                .post("/promotions", PROMOTION);

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        // At least the history read (GetItem/Query on the byTarget index), ECR's DescribeImages and
        // states:StartExecution on the deployer (list_awsstepfunctions: StartExecution on stateMachine),
        // each signed with the API's own key, not an administrator's.
        assertThat(iam.authorized(apiKey) - before).isGreaterThanOrEqualTo(3);
        assertThat(deckhand.awaitCompletion(DeckhandJson.MAPPER.readTree(answer.body()).path("executionArn").asText(),
                Duration.ofSeconds(60)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(iam.denials()).hasSize(denied);
    }

    @Test
    void anUnsignedRequestIsRefusedAndStartsNothing() throws Exception {
        int executions = deckhand.executions().size();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        deckhand.apiUrl().resolve("/promotions")).POST(HttpRequest.BodyPublishers.ofString(PROMOTION)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("Missing Authentication Token");
        assertThat(deckhand.executions()).hasSize(executions);
    }

    @Test
    void aWrongSecretIsRefusedAndStartsNothing() throws Exception {
        int executions = deckhand.executions().size();
        SignedApiClient.Answer answer = client(LocalDeckhand.ACCESS_KEY_ID, "not-the-secret").post("/promotions", PROMOTION);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).contains("signature we calculated does not match");
        assertThat(deckhand.executions()).hasSize(executions);
    }

    @Test
    void anotherAccountIsRefusedByTheResourcePolicyAndStartsNothing() throws Exception {
        int executions = deckhand.executions().size();
        SignedApiClient.Answer answer = client("AKIDOTHERACCOUNT", "other-secret").post("/promotions", PROMOTION);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).contains("arn:aws:iam::999999999999:user/AKIDOTHERACCOUNT is not authorized");
        assertThat(deckhand.executions()).hasSize(executions);
    }

    @Test
    void anUnknownKeyIsRefused() throws Exception {
        SignedApiClient.Answer answer = client("AKIDUNKNOWN", "whatever").get("/services/storefront/environments/dev/deployments");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).contains("security token included in the request is invalid");
    }

    @Test
    void historyIsServedWithItsQuery() throws Exception {
        SignedApiClient.Answer answer = client(LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY)
                .get("/services/storefront/environments/dev/deployments?limit=1");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(DeckhandJson.MAPPER.readTree(answer.body()).path("deployments")).hasSize(1);
    }

    @Test
    void threeHundredStalledClientsDoNotStarveASignedRequest() throws Exception {
        // Bounded: 300 connections, each sends half a request and stalls; all closed when the test ends.
        try (SlowClients stalled = SlowClients.open(deckhand.apiUrl(), 300)) {
            long started = System.nanoTime();
            SignedApiClient.Answer answer = client(LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY)
                    .get("/services/storefront/environments/dev/deployments?limit=1");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(stalled.open()).isEqualTo(300);
            // With the former 4 fixed workers, 4 stalled clients were enough to make this wait forever.
            assertThat(took).isLessThan(Duration.ofSeconds(5));
            System.out.println("Signed API request beside 300 stalled clients answered in " + took.toMillis() + " ms");
        }
    }

    private static SignedApiClient client(String key, String secret) {
        return new SignedApiClient(deckhand.apiUrl(), Region.of(deckhand.cloud().region()),
                AwsBasicCredentials.create(key, secret));
    }
}
