package dev.deckhand.local.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.api.SignedApiClient;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.testing.Fixtures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;

/**
 * Promotion is authorized per target environment, twice over. IAM: the route
 * {@code POST /services/{service}/environments/{env}/promotions} names the target, so an identity
 * policy's {@code execute-api:Invoke} resource ({@code .../POST/services/storefront/environments/staging/promotions},
 * API Gateway developer guide, "IAM policy examples for API execution permissions") can allow
 * staging and not prod; the local gateway evaluates the same rule. Configuration: prod's
 * {@code promoters} name who may promote there, checked by the handler on either route.
 * Afterwards: what ECS serves, the history's requestedBy, no execution started by a refusal, no lock.
 */
class PromotionPerEnvironmentIT {

    private static final String DEVELOPER = "AKIDDEVELOPER";
    private static final String RELEASE = "AKIDRELEASETEAM";

    @Test
    void aPrincipalAllowedToPromoteToStagingIsRefusedProdByIamAndByThePromotersList() throws Exception {
        String account = "000000000000";
        DeckhandConfiguration configuration = ConfigurationLoader.parse(Fixtures.read("deckhand.yml").replace(
                "promoteFrom: staging             # no deployOnPush: prod is reached only by promotion",
                "promoteFrom: staging\n        promoters: [\"arn:aws:iam::" + account + ":user/AKIDRELEASE*\"]"),
                "deckhand.yml with prod promoters");
        try (LocalDeckhand deckhand = LocalDeckhand.builder(configuration)
                .apiCaller(DEVELOPER, "developer-secret", account,
                        List.of("POST/services/storefront/environments/staging/promotions", "GET/*"))
                .apiCaller(RELEASE, "release-secret", account).start()) {
            assertThat(deckhand.cloud().account()).isEqualTo(account);
            ResilienceRuns runs = new ResilienceRuns(deckhand);
            EcrImage image = deckhand.push("acme/storefront", List.of("main-1"), ImageBehaviour.healthy());
            assertThat(ResilienceRuns.result(runs.finishedExecutionOf(image))).isEqualTo("SUCCEEDED");
            SignedApiClient developer = client(deckhand, DEVELOPER, "developer-secret");
            SignedApiClient release = client(deckhand, RELEASE, "release-secret");
            SignedApiClient accountWide = client(deckhand, LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY);

            SignedApiClient.Answer toStaging = developer.post("/services/storefront/environments/staging/promotions",
                    "{\"from\":\"dev\"}");
            assertThat(toStaging.status()).as(toStaging.body()).isEqualTo(202);
            assertThat(deckhand.awaitCompletion(json(toStaging).path("executionArn").asText(), Duration.ofSeconds(60))
                    .status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            int executions = deckhand.executions().size();
            String prodBefore = runs.servingImage("acme-prod", "storefront-prod", "web");

            SignedApiClient.Answer byIam = developer.post("/services/storefront/environments/prod/promotions",
                    "{\"from\":\"staging\"}");
            SignedApiClient.Answer oldRouteByIam = developer.post("/promotions",
                    "{\"service\":\"storefront\",\"from\":\"staging\",\"to\":\"prod\"}");
            SignedApiClient.Answer byPromoters = accountWide.post("/promotions",
                    "{\"service\":\"storefront\",\"from\":\"staging\",\"to\":\"prod\"}");

            assertThat(byIam.status()).isEqualTo(403);
            assertThat(json(byIam).path("message").asText()).isEqualTo("User: arn:aws:iam::" + account
                    + ":user/AKIDDEVELOPER is not authorized to perform: execute-api:Invoke on resource: "
                    + "POST/services/storefront/environments/prod/promotions");
            assertThat(oldRouteByIam.status()).isEqualTo(403);
            assertThat(byPromoters.status()).isEqualTo(403);
            assertThat(json(byPromoters).path("message").asText()).isEqualTo("arn:aws:iam::" + account + ":user/"
                    + LocalDeckhand.ACCESS_KEY_ID + " is not among the promoters of storefront/prod");
            assertThat(deckhand.executions()).hasSize(executions);
            assertThat(runs.servingImage("acme-prod", "storefront-prod", "web")).isEqualTo(prodBefore);

            SignedApiClient.Answer allowed = release.post("/services/storefront/environments/prod/promotions",
                    "{\"from\":\"staging\"}");
            assertThat(allowed.status()).as(allowed.body()).isEqualTo(202);
            ExecutionDescription toProd = deckhand.awaitCompletion(json(allowed).path("executionArn").asText(),
                    Duration.ofSeconds(60));
            assertThat(toProd.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(runs.servingImage("acme-prod", "storefront-prod", "web")).isEqualTo(image.uri());
            assertThat(runs.attemptOf("storefront", "prod", toProd.executionArn()).requestedBy())
                    .isEqualTo("arn:aws:iam::" + account + ":user/" + RELEASE);
            assertThat(runs.heldLocks()).isEmpty();
        }
    }

    private static SignedApiClient client(LocalDeckhand deckhand, String key, String secret) {
        return new SignedApiClient(deckhand.apiUrl(), Region.of(deckhand.cloud().region()),
                AwsBasicCredentials.create(key, secret));
    }

    private static JsonNode json(SignedApiClient.Answer answer) throws Exception {
        return DeckhandJson.MAPPER.readTree(answer.body());
    }
}
