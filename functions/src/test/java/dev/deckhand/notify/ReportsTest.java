package dev.deckhand.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.testing.Targets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one-line summaries: who rolled a deployment back, and why; what a refused request was refused for. */
class ReportsTest {

    private static OutcomeInput event(String rollback) throws Exception {
        // A push of v2 to storefront/prod, as resolve-env would decide it.
        ObjectNode target = DeckhandJson.MAPPER.valueToTree(Targets.storefrontDev("feature-v2", "ab"));
        target.put("environment", "prod").put("deploymentId", "storefront.prod." + "ab".repeat(8));
        ((ObjectNode) target.get("image")).put("tag", "v2");
        return OutcomeInput.parse(DeckhandJson.MAPPER.readTree("""
                {"outcome": "ROLLED_BACK",
                 "executionArn": "arn:aws:states:eu-west-1:123456789012:execution:deployer:x",
                 "target": %s,
                 "failure": {"step": "rollout", "error": "dev.deckhand.errors.RolledBackByEcsException",
                             "cause": "{\\"errorMessage\\": \\"ECS rolled canary deployment sd-1 back to the previous revision (service deployment ROLLBACK_SUCCESSFUL at PRODUCTION_TRAFFIC_SHIFT; ECS rolled back because: lifecycle hook FAILED)\\"}"},
                 "rollback": %s}
                """.formatted(target, rollback)));
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

    @Test
    void aRequestRefusedBeforeItHadATargetSaysWhatWasRefused() throws Exception {
        OutcomeInput refused = OutcomeInput.parse(DeckhandJson.MAPPER.readTree("""
                {"outcome": "FAILED",
                 "executionArn": "arn:aws:states:eu-west-1:123456789012:execution:deployer:x",
                 "request": {"detail": {"repository-name": "acme/storefront"}},
                 "failure": {"error": "dev.deckhand.errors.InvalidInputException",
                             "cause": "{\\"errorMessage\\": \\"detail.image-digest: required\\"}"}}
                """));

        assertThat(Reports.of(refused, Instant.EPOCH).summary())
                .isEqualTo("Refused the request: InvalidInputException: detail.image-digest: required");
    }
}
