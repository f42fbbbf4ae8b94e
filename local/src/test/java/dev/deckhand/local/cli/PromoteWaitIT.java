package dev.deckhand.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.Eventually;
import dev.deckhand.local.api.SignedApiClient;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.clock.EngineClock;
import dev.deckhand.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;

/**
 * {@code deckhand promote --wait} on simulated time: prod takes images that soaked 30 min in
 * staging; the command is refused (409 with notBefore), says how long is left, lets time pass,
 * asks again, and promotes once the API lets it.
 */
class PromoteWaitIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void promoteWaitWaitsOutTheSoakTimeShowingWhatIsLeftThenPromotes() throws Exception {
        try (LocalDeckhand deckhand = LocalDeckhand.builder(ConfigurationLoader.parse(Fixtures.read("deckhand.yml")
                .replace("promoteFrom: staging             # no deployOnPush: prod is reached only by promotion",
                        "promoteFrom: {environment: staging, soakMinutes: 30}"), "deckhand.yml with a soak time"))
                .start()) {
            EcrImage image = deckhand.push("acme/storefront", List.of("release-1"), ImageBehaviour.healthy());
            assertThat(deckhand.awaitCompletion(deckhand.executionStartedBy(image, TIMEOUT), TIMEOUT).status())
                    .isEqualTo(ExecutionStatus.SUCCEEDED);
            Instant verified = deckhand.clock().now();
            SignedApiClient api = new SignedApiClient(deckhand.apiUrl(), Region.of(deckhand.cloud().region()),
                    AwsBasicCredentials.create(LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY));
            StringWriter progress = new StringWriter();

            SignedApiClient.Answer answer = PromoteCommand.whenSoaked(() -> api.post("/promotions",
                            "{\"service\":\"storefront\",\"from\":\"staging\",\"to\":\"prod\"}"), "staging",
                    new PrintWriter(progress), deckhand.clock().asJavaClock(), duration -> letPass(deckhand, duration));

            assertThat(answer.status()).as(answer.body()).isEqualTo(202);
            List<String> lines = progress.toString().lines().toList();
            assertThat(lines).hasSizeBetween(30, 31).allMatch(line -> line.startsWith("soaking in staging: may go at "));
            assertThat(lines.get(0)).endsWith("(30 min left)");
            assertThat(lines.get(lines.size() - 1)).endsWith("(1 min left)");
            assertThat(Duration.between(verified, deckhand.clock().now())).isGreaterThanOrEqualTo(Duration.ofMinutes(30));
            String executionArn = DeckhandJson.MAPPER.readTree(answer.body()).path("executionArn").asText();
            assertThat(deckhand.awaitCompletion(executionArn, TIMEOUT).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
    }

    /** Lets simulated time pass: a timer at the instant, and a participant going idle so the clock jumps to it. */
    private static void letPass(LocalDeckhand deckhand, Duration duration) throws InterruptedException {
        EngineClock clock = deckhand.clock();
        Instant target = clock.now().plus(duration);
        clock.schedule(target, () -> { });
        clock.beginActivity().close();
        Eventually.until(TIMEOUT, () -> "simulated time " + target, () -> !clock.now().isBefore(target));
    }
}
