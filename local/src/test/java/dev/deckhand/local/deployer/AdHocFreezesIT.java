package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.local.LocalCloud;
import dev.deckhand.local.api.SignedApiClient;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;

/**
 * Ad-hoc freezes through the signed API, on the simulated clock: a freeze acts like a freeze
 * window at the lock (the push waits for its end, or for the unfreeze, or is refused) and at the
 * promote API (409). The lock step reads the freezes table with coordinate's own role (GetItem), and
 * the API writes it with PutItem and DeleteItem; the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html)
 * authorizes each on the table resource, and the local cloud checks each against the table's ARN.
 * An unfreeze learns whether there was a freeze from DeleteItem's ReturnValues ALL_OLD, whose
 * Attributes are present only when an item was deleted
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html).
 */
class AdHocFreezesIT {

    private static final String PRINCIPAL = "arn:aws:iam::" + LocalCloud.DEFAULT_ACCOUNT + ":user/"
            + LocalDeckhand.ACCESS_KEY_ID;
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ROOT);

    @Test
    void aPushDuringAnAdHocFreezeWaitsForItsEndThenDeploys() throws Exception {
        try (LocalDeckhand deckhand = LocalDeckhand.builder(sample()).start()) {
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);
            SignedApiClient api = client(deckhand);
            Instant now = deckhand.clock().asJavaClock().instant();

            SignedApiClient.Answer frozen = api.put("/services/storefront/environments/dev/freeze",
                    "{\"reason\":\"incident 7\",\"until\":\"2h\"}");

            assertThat(frozen.status()).as(frozen.body()).isEqualTo(201);
            JsonNode freeze = DeployerScenarios.json(frozen.body());
            Instant until = Instant.parse(freeze.path("until").asText());
            assertThat(until).isAfterOrEqualTo(now.plus(Duration.ofHours(2)));
            assertThat(freeze.path("by").asText()).isEqualTo(PRINCIPAL);
            // Status shows it for the environment.
            JsonNode status = DeployerScenarios.json(api.get("/services/storefront/environments/dev/deployments").body());
            assertThat(status.path("freeze").path("reason").asText()).isEqualTo("incident 7");
            assertThat(status.path("freeze").path("until").asText()).isEqualTo(until.toString());

            EcrImage image = deckhand.push("acme/storefront", List.of("feature-adhoc"), ImageBehaviour.healthy());
            ExecutionDescription execution = scenarios.finishedExecutionOf(image);

            assertThat(execution.status()).as(execution.error() + ": " + execution.cause())
                    .isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(image.uri());
            assertThat(scenarios.enteredStates(execution)).containsSubsequence("Claim the deployment and take the lock",
                    "Wait for the freeze to end", "Take the environment's lock", "Prepare the release");
            JsonNode timings = scenarios.record(execution, "dev").details().path("timings");
            assertThat(Instant.parse(timings.path("frozenUntil").asText())).isEqualTo(until);
            assertThat(Instant.parse(timings.path("updated").asText())).isAfterOrEqualTo(until);
            // Ended by itself: status no longer shows it.
            assertThat(DeployerScenarios.json(api.get("/services/storefront/environments/dev/deployments").body())
                    .has("freeze")).isFalse();
        }
    }

    @Test
    void anOpenEndedFreezeOfAllHoldsAPushUntilUnfrozen() throws Exception {
        try (LocalDeckhand deckhand = LocalDeckhand.builder(sample()).start()) {
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);
            SignedApiClient api = client(deckhand);
            assertThat(api.put("/services/all/environments/dev/freeze", "{\"reason\":\"code freeze\"}").status())
                    .isEqualTo(201);
            // all: every service's dev, as status shows.
            JsonNode status = DeployerScenarios.json(api.get("/services/storefront/environments/dev/deployments").body());
            assertThat(status.path("freeze").path("service").asText()).isEqualTo("all");
            assertThat(status.path("freeze").has("until")).isFalse();

            EcrImage image = deckhand.push("acme/storefront", List.of("feature-held"), ImageBehaviour.healthy());
            scenarios.awaitEntered(image, "Wait for the freeze to end");
            assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isNotEqualTo(image.uri());
            SignedApiClient.Answer unfrozen = api.delete("/services/all/environments/dev/freeze");

            assertThat(unfrozen.status()).as(unfrozen.body()).isEqualTo(200);
            ExecutionDescription execution = scenarios.finishedExecutionOf(image);
            assertThat(execution.status()).as(execution.error() + ": " + execution.cause())
                    .isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(image.uri());
            SignedApiClient.Answer again = api.delete("/services/all/environments/dev/freeze");
            assertThat(again.status()).isEqualTo(404);
            assertThat(DeployerScenarios.json(again.body()).path("message").asText())
                    .isEqualTo("all/dev has no ad-hoc freeze");
        }
    }

    @Test
    void anEnvironmentThatRefusesDuringAFreezeRefusesAPushDuringAnAdHocFreeze() throws Exception {
        // A window that is not in force now gives dev its whenFrozen: refuse.
        Instant from = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofHours(3));
        String line = "        deployOnPush: [\"feature-*\", \"bugfix-*\", \"main-*\"]\n";
        String yaml = Fixtures.read("deckhand.yml");
        assertThat(yaml).contains(line);
        DeckhandConfiguration configuration = ConfigurationLoader.parse(yaml.replace(line, line
                + "        freeze:\n          - {from: \"" + dayTime(from) + "\", to: \"" + dayTime(from.plus(Duration.ofHours(1)))
                + "\", timezone: UTC}\n        whenFrozen: refuse\n"), "deckhand.yml refusing during freezes in dev");
        try (LocalDeckhand deckhand = LocalDeckhand.builder(configuration).start()) {
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);
            assertThat(client(deckhand).put("/services/storefront/environments/dev/freeze",
                    "{\"reason\":\"database migration\",\"until\":\"3h\"}").status()).isEqualTo(201);

            ExecutionDescription execution = scenarios.pushRefusedByAFreeze();
            AttemptRecord record = scenarios.record(execution, "dev");
            assertThat(record.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(record.details().path("failure").path("cause").asText())
                    .startsWith("storefront/dev is frozen by the ad-hoc freeze of storefront/dev by " + PRINCIPAL
                            + " (database migration, until ")
                    .contains("whenFrozen: refuse");
        }
    }

    @Test
    void aPromotionDuringAnAdHocFreezeIsRefusedWith409AndGoesOnceUnfrozen() throws Exception {
        try (LocalDeckhand deckhand = LocalDeckhand.builder(sample()).start()) {
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);
            SignedApiClient api = client(deckhand);
            EcrImage image = deckhand.push("acme/storefront", List.of("main-1"), ImageBehaviour.healthy());
            assertThat(scenarios.finishedExecutionOf(image).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(api.put("/services/storefront/environments/staging/freeze",
                    "{\"reason\":\"release audit\"}").status()).isEqualTo(201);
            String promotion = "{\"service\":\"storefront\",\"from\":\"dev\",\"to\":\"staging\"}";
            int executions = deckhand.executions().size();

            SignedApiClient.Answer refused = api.post("/promotions", promotion);

            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(DeployerScenarios.json(refused.body()).path("message").asText()).isEqualTo(
                    "storefront/staging is frozen by the ad-hoc freeze of storefront/staging by " + PRINCIPAL
                            + " (release audit, until unfrozen); promote again once it is unfrozen");
            assertThat(deckhand.executions()).hasSize(executions);

            assertThat(api.delete("/services/storefront/environments/staging/freeze").status()).isEqualTo(200);
            SignedApiClient.Answer promoted = api.post("/promotions", promotion);
            assertThat(promoted.status()).as(promoted.body()).isEqualTo(202);
            ExecutionDescription execution = deckhand.awaitCompletion(
                    DeployerScenarios.json(promoted.body()).path("executionArn").asText(), DeployerScenarios.TIMEOUT);
            assertThat(execution.status()).as(execution.error() + ": " + execution.cause())
                    .isEqualTo(ExecutionStatus.SUCCEEDED);
        }
    }

    @Test
    void badFreezesAreRefusedInOneLineAndNothingIsWritten() throws Exception {
        try (LocalDeckhand deckhand = LocalDeckhand.builder(sample()).start()) {
            SignedApiClient api = client(deckhand);

            assertRefused(api.put("/services/storfront/environments/dev/freeze", "{\"reason\":\"x\"}"), 404,
                    "unknown service 'storfront'; did you mean 'storefront'?");
            assertRefused(api.put("/services/storefront/environments/qa/freeze", "{\"reason\":\"x\"}"), 404,
                    "service storefront has no environment 'qa'");
            assertRefused(api.put("/services/all/environments/qa/freeze", "{\"reason\":\"x\"}"), 404,
                    "no service has an environment 'qa'");
            assertRefused(api.put("/services/storefront/environments/dev/freeze", "{\"reason\":\"   \"}"), 400,
                    "reason: required; say why it is frozen, for the people it stops");
            assertRefused(api.put("/services/storefront/environments/dev/freeze",
                    "{\"reason\":\"x\",\"until\":\"2020-01-01T00:00:00Z\"}"), 400,
                    "until: 2020-01-01T00:00:00Z is not in the future");
            assertRefused(api.put("/services/storefront/environments/dev/freeze",
                    "{\"reason\":\"x\",\"until\":\"soon\"}"), 400, "until: 'soon' is neither an instant");
            assertRefused(api.put("/services/storefront/environments/dev/freeze",
                    "{\"reason\":\"x\",\"owner\":\"me\"}"), 400, "body.owner: unknown field");

            for (String environment : List.of("dev", "staging")) {
                assertThat(DeployerScenarios.json(api.get("/services/storefront/environments/" + environment
                        + "/deployments").body()).has("freeze")).isFalse();
            }
        }
    }

    private static void assertRefused(SignedApiClient.Answer answer, int status, String messageStart) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        String message = DeployerScenarios.json(answer.body()).path("message").asText();
        assertThat(message).startsWith(messageStart).doesNotContain("\n", "Exception");
    }

    private static DeckhandConfiguration sample() {
        return ConfigurationLoader.parse(Fixtures.read("deckhand.yml"), "deckhand.yml");
    }

    private static String dayTime(Instant at) {
        return DAY_TIME.format(at.atZone(ZoneOffset.UTC)).toUpperCase(Locale.ROOT);
    }

    private static SignedApiClient client(LocalDeckhand deckhand) {
        return new SignedApiClient(deckhand.apiUrl(), Region.of(deckhand.cloud().region()),
                AwsBasicCredentials.create(LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY));
    }

}
