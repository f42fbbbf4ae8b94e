package dev.deckhand.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one-line summaries of a rolled-back deployment: who rolled it back, and why. */
class ReportsTest {

    private static JsonNode event(String rollback) throws Exception {
        return DeckhandJson.MAPPER.readTree("""
                {"outcome": "ROLLED_BACK",
                 "target": {"service": "storefront", "environment": "prod", "deploymentId": "d-1",
                            "image": {"tag": "v2"}},
                 "failure": {"step": "rollout", "error": "dev.deckhand.errors.RolledBackByEcsException",
                             "cause": "{\\"errorMessage\\": \\"ECS rolled canary deployment sd-1 back to the previous revision (service deployment ROLLBACK_SUCCESSFUL at PRODUCTION_TRAFFIC_SHIFT; ECS rolled back because: lifecycle hook FAILED)\\"}"},
                 "rollback": %s}
                """.formatted(rollback));
    }

    @Test
    void aRollbackByEcsSaysEcsRolledBackAndWhy() throws Exception {
        assertThat(Reports.of(event("{\"by\": \"ECS\"}"), Instant.EPOCH).summary()).isEqualTo(
                "ECS rolled back storefront/prod after v2 failed: ECS rolled canary deployment sd-1 back to the previous "
                        + "revision (service deployment ROLLBACK_SUCCESSFUL at PRODUCTION_TRAFFIC_SHIFT; ECS rolled back "
                        + "because: lifecycle hook FAILED)");
    }

    @Test
    void deckhandsOwnRollbackReadsAsBefore() throws Exception {
        assertThat(Reports.of(event("{\"taskDefinition\": \"td:7\"}"), Instant.EPOCH).summary())
                .startsWith("Rolled back storefront/prod after v2 failed: RolledBackByEcsException: ");
    }
}
