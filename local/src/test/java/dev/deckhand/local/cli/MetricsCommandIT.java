package dev.deckhand.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code deckhand metrics} over a history made by real deployments through the API's GET /metrics:
 * two successes around a rollback, and a migration that failed before the service changed.
 */
class MetricsCommandIT {

    private LocalDeckhand deckhand;

    @BeforeEach
    void start() {
        deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).port(0).apiPort(0).start();
        System.setProperty("aws.accessKeyId", LocalDeckhand.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", LocalDeckhand.SECRET_ACCESS_KEY);
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        deckhand.close();
    }

    private CommandLineRun deckhand(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint-url", deckhand.cloud().endpoint().toString(), "--region",
                deckhand.cloud().region(), "--api-url", deckhand.apiUrl().toString(), "--state-machine-arn",
                deckhand.stateMachineArn()));
        return CommandLineRun.of(all.toArray(String[]::new));
    }

    @Test
    void metricsCountDeploymentsFailedChangesAndTheRestoreFromTheHistory() throws Exception {
        assertThat(deckhand("push", "acme/storefront:main-1").exitCode()).isZero();
        assertThat(deckhand("push", "acme/storefront:main-2", "--behaviour", "unhealthy").exitCode())
                .isEqualTo(DeckhandCommand.EXIT_REJECTED);
        assertThat(deckhand("push", "acme/storefront:main-3").exitCode()).isZero();
        assertThat(deckhand("push", "acme/storefront:main-4", "--behaviour", "migration-exit:1").exitCode())
                .isEqualTo(DeckhandCommand.EXIT_REJECTED);

        CommandLineRun json = deckhand("metrics", "storefront", "dev", "--since", "1d", "--json");

        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode figures = DeckhandJson.MAPPER.readTree(json.out()).path("metrics");
        assertThat(figures).hasSize(1);
        JsonNode dev = figures.get(0);
        assertThat(dev.path("environment").asText()).isEqualTo("dev");
        assertThat(dev.path("deployments").asInt()).isEqualTo(2);
        // main-1, main-2 (rolled back) and main-3 changed the service; main-4's migration failed before.
        assertThat(dev.path("changes").asInt()).isEqualTo(3);
        assertThat(dev.path("failedChanges").asInt()).isEqualTo(1);
        assertThat(dev.path("changeFailureRate").asDouble()).isEqualTo(1 / 3.0);
        assertThat(dev.path("restored").asInt()).isEqualTo(1);
        assertThat(dev.path("timeToRestoreSeconds").isNumber()).isTrue();
        // Both successes were pushed through ECR, so both have a lead time.
        assertThat(dev.path("leadTimeSamples").asInt()).isEqualTo(2);
        assertThat(dev.path("leadTimeSeconds").asLong()).isNotNegative();

        CommandLineRun table = deckhand("metrics", "storefront", "--since", "1d");
        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).containsPattern("storefront +dev +2 +2\\.00 +\\S+ +33% +\\S+")
                .containsPattern("storefront +staging +0 +0\\.00 +- +- +-");
    }

    @Test
    void anUnknownServiceOrABadPeriodIsRefusedOnOneLine() {
        CommandLineRun unknown = deckhand("metrics", "storefrnt");
        assertThat(unknown.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        assertThat(unknown.err()).startsWith("deckhand: the API refused (HTTP 404): unknown service 'storefrnt'")
                .hasLineCount(1);

        CommandLineRun period = deckhand("metrics", "--since", "forever");
        assertThat(period.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        assertThat(period.err()).isEqualTo("deckhand: the API refused (HTTP 400): since: a period like 30d, 12h "
                + "or 4w, not 'forever'\n");
    }
}
