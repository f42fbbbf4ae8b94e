package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

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
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofHours(2));
        try (LocalDeckhand deckhand = LocalDeckhand.builder(devFrozenUntil(end, "wait")).start()) {
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);
            String before = scenarios.servingImage("acme-dev", "storefront-dev", "web");

            EcrImage image = deckhand.push("acme/storefront", List.of("feature-frozen"), ImageBehaviour.healthy());
            ExecutionDescription execution = scenarios.finishedExecutionOf(image);

            assertThat(execution.status()).as(execution.error() + ": " + execution.cause())
                    .isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(before).isNotEqualTo(image.uri());
            assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(image.uri());
            assertThat(enteredStates(deckhand, execution)).containsSubsequence("Take the environment's lock",
                    "Wait for the freeze to end", "Take the environment's lock", "Prepare the release");
            // The history says it waited, and nothing changed before the freeze ended.
            JsonNode timings = record(deckhand, execution).details().path("timings");
            assertThat(Instant.parse(timings.path("frozenUntil").asText())).isEqualTo(end);
            assertThat(Instant.parse(timings.path("locked").asText())).isAfterOrEqualTo(end);
            assertThat(Instant.parse(timings.path("updated").asText())).isAfterOrEqualTo(end);
        }
    }

    @Test
    void aNewerPushDuringTheFreezeSupersedesTheWaitingOne() throws Exception {
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofHours(2));
        try (LocalDeckhand deckhand = LocalDeckhand.builder(devFrozenUntil(end, "wait")).start()) {
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
            assertThat(enteredStates(deckhand, superseded)).doesNotContain("Prepare the release");
        }
    }

    @Test
    void anEnvironmentThatRefusesDuringAFreezeFailsThePushAndLeavesTheServiceUntouched() throws Exception {
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofHours(2));
        try (LocalDeckhand deckhand = LocalDeckhand.builder(devFrozenUntil(end, "refuse")).start()) {
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);
            String before = scenarios.servingImage("acme-dev", "storefront-dev", "web");

            EcrImage image = deckhand.push("acme/storefront", List.of("feature-refused"), ImageBehaviour.healthy());
            ExecutionDescription execution = scenarios.finishedExecutionOf(image);

            assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(before);
            assertThat(enteredStates(deckhand, execution)).contains("Refuse to deploy during the freeze")
                    .doesNotContain("Prepare the release", "Wait for the freeze to end");
            AttemptRecord record = record(deckhand, execution);
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

    /** The sample configuration with storefront/dev frozen from a minute ago until {@code end}. */
    private static DeckhandConfiguration devFrozenUntil(Instant end, String whenFrozen) {
        ZonedDateTime from = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1))
                .atZone(ZoneOffset.UTC);
        String window = "        freeze:\n          - {from: \"" + DAY_TIME.format(from).toUpperCase(Locale.ROOT)
                + "\", to: \"" + DAY_TIME.format(end.atZone(ZoneOffset.UTC)).toUpperCase(Locale.ROOT)
                + "\", timezone: UTC}\n        whenFrozen: " + whenFrozen + "\n";
        String line = "        deployOnPush: [\"feature-*\", \"bugfix-*\", \"main-*\"]\n";
        String yaml = Fixtures.read("deckhand.yml");
        assertThat(yaml).contains(line);
        return ConfigurationLoader.parse(yaml.replace(line, line + window), "deckhand.yml with a freeze in dev");
    }

    private static List<String> enteredStates(LocalDeckhand deckhand, ExecutionDescription execution) {
        return deckhand.engine().getExecutionHistory(execution.executionArn()).stream()
                .filter(event -> event.type().endsWith("StateEntered")).map(event -> event.stateName()).toList();
    }

    private static AttemptRecord record(LocalDeckhand deckhand, ExecutionDescription execution) {
        return deckhand.history().page("storefront", "dev", 10, null).attempts().stream()
                .filter(attempt -> attempt.executionArn().equals(execution.executionArn())).findFirst().orElseThrow();
    }
}
