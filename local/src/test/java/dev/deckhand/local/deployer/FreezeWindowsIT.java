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
 * Freeze windows on the simulated clock: a push during a freeze waits for its end (a Wait state to
 * the computed end, superseded as usual by a newer push) or is refused, as the environment says.
 * The window is written around the time the test starts, as a user would write one around their
 * weekend; the simulated clock jumps to its end.
 */
class FreezeWindowsIT {

    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ROOT);

    @Test
    void aPushDuringAFreezeWaitsForItsEndThenDeploys() throws Exception {
        Instant from = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1));
        Instant end = from.plus(Duration.ofHours(2));
        try (LocalDeckhand deckhand = LocalDeckhand.builder(devFrozenUntil(from, end, "wait")).start()) {
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);
            String before = scenarios.servingImage("acme-dev", "storefront-dev", "web");

            EcrImage image = deckhand.push("acme/storefront", List.of("feature-frozen"), ImageBehaviour.healthy());
            ExecutionDescription execution = scenarios.finishedExecutionOf(image);

            assertThat(execution.status()).as(execution.error() + ": " + execution.cause())
                    .isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(before).isNotEqualTo(image.uri());
            assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(image.uri());
            assertThat(scenarios.enteredStates(execution)).containsSubsequence("Claim the deployment and take the lock",
                    "Wait for the freeze to end", "Take the environment's lock", "Prepare the release");
            // The history says it waited, and nothing changed before the freeze ended.
            JsonNode timings = scenarios.record(execution, "dev").details().path("timings");
            assertThat(Instant.parse(timings.path("frozenUntil").asText())).isEqualTo(end);
            assertThat(Instant.parse(timings.path("locked").asText())).isAfterOrEqualTo(end);
            assertThat(Instant.parse(timings.path("updated").asText())).isAfterOrEqualTo(end);
        }
    }

    @Test
    void aNewerPushDuringTheFreezeSupersedesTheWaitingOne() throws Exception {
        Instant from = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1));
        Instant end = from.plus(Duration.ofHours(2));
        try (LocalDeckhand deckhand = LocalDeckhand.builder(devFrozenUntil(from, end, "wait")).start()) {
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);
            EcrImage older = deckhand.push("acme/storefront", List.of("feature-older"), ImageBehaviour.healthy());
            scenarios.awaitEntered(older, "Wait for the freeze to end");
            EcrImage newer = deckhand.push("acme/storefront", List.of("feature-newer"), ImageBehaviour.healthy());

            ExecutionDescription superseded = scenarios.finishedExecutionOf(older);
            ExecutionDescription deployed = scenarios.finishedExecutionOf(newer);

            assertThat(DeployerScenarios.json(superseded.output()).path("outcome").asText()).isEqualTo("SUPERSEDED");
            assertThat(deployed.status()).as(deployed.error() + ": " + deployed.cause())
                    .isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(newer.uri());
            assertThat(scenarios.enteredStates(superseded)).doesNotContain("Prepare the release");
        }
    }

    @Test
    void anEnvironmentThatRefusesDuringAFreezeFailsThePushAndLeavesTheServiceUntouched() throws Exception {
        Instant from = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1));
        Instant end = from.plus(Duration.ofHours(2));
        try (LocalDeckhand deckhand = LocalDeckhand.builder(devFrozenUntil(from, end, "refuse")).start()) {
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);

            ExecutionDescription execution = scenarios.pushRefusedByAFreeze();
            AttemptRecord record = scenarios.record(execution, "dev");
            assertThat(record.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(record.details().path("failure").path("cause").asText())
                    .startsWith("storefront/dev is frozen by the freeze window ")
                    .contains("(until " + end + ")", "whenFrozen: refuse");
            // Refused at once: the execution did not sit out the freeze.
            assertThat(deckhand.clock().asJavaClock().instant()).isBefore(end);
            // Reported like any failure, with the freeze as the reason.
            assertThat(scenarios.published()).anySatisfy(message ->
                    assertThat(message.toString()).contains("Frozen"));
        }
    }

    @Test
    void aPromotionIntoAFreezeIsRefusedWith409UnlessAnAllowedPrincipalBreaksTheGlass() throws Exception {
        Instant from = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1));
        Instant end = from.plus(Duration.ofHours(2));
        String release = "AKIDRELEASETEAM";
        String releaseArn = "arn:aws:iam::" + LocalCloud.DEFAULT_ACCOUNT + ":user/" + release;
        String line = "        deployOnPush: [\"release-*\"]\n";
        String yaml = Fixtures.read("deckhand.yml");
        assertThat(yaml).contains(line);
        DeckhandConfiguration configuration = ConfigurationLoader.parse(yaml.replace(line, line + window(from, end, "wait")
                + "        breakGlass: [\"arn:aws:iam::" + LocalCloud.DEFAULT_ACCOUNT + ":user/AKIDRELEASE*\"]\n"),
                "deckhand.yml with a freeze in staging");
        try (LocalDeckhand deckhand = LocalDeckhand.builder(configuration)
                .apiCaller(release, "release-secret", LocalCloud.DEFAULT_ACCOUNT).start()) {
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);
            EcrImage image = deckhand.push("acme/storefront", List.of("main-1"), ImageBehaviour.healthy());
            assertThat(scenarios.finishedExecutionOf(image).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            SignedApiClient accountWide = client(deckhand, LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY);
            SignedApiClient releaseTeam = client(deckhand, release, "release-secret");
            String promotion = "{\"service\":\"storefront\",\"from\":\"dev\",\"to\":\"staging\"";
            int executions = deckhand.executions().size();

            SignedApiClient.Answer refused = accountWide.post("/promotions", promotion + "}");
            SignedApiClient.Answer notAllowed = accountWide.post("/promotions",
                    promotion + ",\"breakGlass\":\"I am in a hurry\"}");

            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(DeployerScenarios.json(refused.body()).path("message").asText()).isEqualTo(
                    "storefront/staging is frozen by the freeze window " + windowText(from, end)
                            + " (until " + end + "); promote again from " + end + ", or, if you are named in its "
                            + "breakGlass, give a reason as \"breakGlass\" to override the freeze");
            assertThat(notAllowed.status()).as(notAllowed.body()).isEqualTo(403);
            assertThat(DeployerScenarios.json(notAllowed.body()).path("message").asText()).isEqualTo(
                    "arn:aws:iam::" + LocalCloud.DEFAULT_ACCOUNT + ":user/" + LocalDeckhand.ACCESS_KEY_ID
                            + " may not override the freeze of storefront/staging (its breakGlass names who may)");
            assertThat(deckhand.executions()).hasSize(executions);

            SignedApiClient.Answer overridden = releaseTeam.post("/promotions",
                    promotion + ",\"breakGlass\":\"hotfix for incident 42\"}");

            assertThat(overridden.status()).as(overridden.body()).isEqualTo(202);
            ExecutionDescription execution = deckhand.awaitCompletion(
                    DeployerScenarios.json(overridden.body()).path("executionArn").asText(), DeployerScenarios.TIMEOUT);
            assertThat(execution.status()).as(execution.error() + ": " + execution.cause())
                    .isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(scenarios.servingImage("acme-staging", "storefront-staging", "web")).isEqualTo(image.uri());
            // Deployed during the freeze, and the override is in the history and the notification.
            assertThat(deckhand.clock().asJavaClock().instant()).isBefore(end);
            AttemptRecord record = deckhand.history().page("storefront", "staging", 10, null).attempts().stream()
                    .filter(attempt -> attempt.executionArn().equals(execution.executionArn())).findFirst().orElseThrow();
            assertThat(record.requestedBy()).isEqualTo(releaseArn);
            assertThat(record.reason()).endsWith("(break-glass override of the freeze by " + releaseArn
                    + ": hotfix for incident 42)");
            assertThat(scenarios.published()).anySatisfy(message -> assertThat(message.toString())
                    .contains("Deployed main-1 to storefront/staging (break-glass override of the freeze by "
                            + releaseArn + ": hotfix for incident 42)"));
        }
    }

    private static SignedApiClient client(LocalDeckhand deckhand, String key, String secret) {
        return new SignedApiClient(deckhand.apiUrl(), Region.of(deckhand.cloud().region()),
                AwsBasicCredentials.create(key, secret));
    }

    /** The sample configuration with storefront/dev frozen from {@code from} until {@code end}. */
    private static DeckhandConfiguration devFrozenUntil(Instant from, Instant end, String whenFrozen) {
        String line = "        deployOnPush: [\"feature-*\", \"bugfix-*\", \"main-*\"]\n";
        String yaml = Fixtures.read("deckhand.yml");
        assertThat(yaml).contains(line);
        return ConfigurationLoader.parse(yaml.replace(line, line + window(from, end, whenFrozen)),
                "deckhand.yml with a freeze in dev");
    }

    /** A freeze window from {@code from} (a minute ago) until {@code end}, in UTC, as configuration lines. */
    private static String window(Instant from, Instant end, String whenFrozen) {
        String[] parts = windowText(from, end).split(" to | UTC");
        return "        freeze:\n          - {from: \"" + parts[0] + "\", to: \"" + parts[1] + "\", timezone: UTC}\n"
                + "        whenFrozen: " + whenFrozen + "\n";
    }

    /** The window as Deckhand describes it: {@code FRI 16:00 to MON 08:00 UTC}. */
    private static String windowText(Instant from, Instant end) {
        return DAY_TIME.format(from.atZone(ZoneOffset.UTC)).toUpperCase(Locale.ROOT) + " to "
                + DAY_TIME.format(end.atZone(ZoneOffset.UTC)).toUpperCase(Locale.ROOT) + " UTC";
    }

}
