package dev.deckhand.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.errors.RollbackRefusedException;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.testing.Fixtures;
import dev.deckhand.testing.InMemoryDeploymentHistory;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The runtime's resolver builds the history (a DynamoDB client) for the first rollback request only:
 * a push, which never reads it, does not pay for the client in its cold start.
 */
class ResolveEnvironmentHandlerHistoryTest {

    private final AtomicInteger historiesBuilt = new AtomicInteger();
    private final ResolveEnvironmentHandler handler = new ResolveEnvironmentHandler(
            ConfigurationSource.of(Fixtures.sampleConfiguration()), image -> Optional.empty(), () -> {
                historiesBuilt.incrementAndGet();
                return new InMemoryDeploymentHistory();
            });

    @Test
    void aPushResolvesWithoutBuildingTheHistory() throws Exception {
        JsonNode push = DeckhandJson.MAPPER.readTree(Fixtures.read("events/ecr/push-dev-feature.json"));

        Resolution resolution = handler.resolve(push);

        assertThat(resolution).isInstanceOf(Resolution.Deploy.class);
        assertThat(historiesBuilt).hasValue(0);
    }

    @Test
    void theFirstRollbackRequestBuildsTheHistoryOnceForEveryLaterOne() {
        JsonNode rollback = DeckhandJson.MAPPER.createObjectNode().set("rollback",
                DeckhandJson.MAPPER.createObjectNode().put("service", "storefront").put("environment", "staging"));

        for (int request = 0; request < 2; request++) {
            assertThatThrownBy(() -> handler.resolve(rollback)).isInstanceOf(RollbackRefusedException.class)
                    .hasMessage("nothing to roll back to: Deckhand never verified a revision of storefront/staging");
        }
        assertThat(historiesBuilt).hasValue(1);
    }
}
