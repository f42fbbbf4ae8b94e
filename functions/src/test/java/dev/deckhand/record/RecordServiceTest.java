package dev.deckhand.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.notify.OutcomeInput;
import dev.deckhand.testing.InMemoryDeploymentHistory;
import dev.deckhand.testing.Targets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** RecordService over an in-memory history: what each outcome writes. */
class RecordServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final String EXECUTION = "arn:aws:states:eu-west-1:123456789012:execution:deployer:x";

    private final InMemoryDeploymentHistory history = new InMemoryDeploymentHistory();
    private final RecordService service = new RecordService(history, Clock.fixed(NOW, ZoneOffset.UTC));
    private final DeploymentTarget target = Targets.storefrontDev("feature-x", "ab");

    private OutcomeInput event(String outcome, String decision) {
        ObjectNode event = DeckhandJson.MAPPER.createObjectNode().put("outcome", outcome)
                .put("executionArn", EXECUTION).put("startedAt", "2026-12-06T11:50:00Z");
        event.set("target", DeckhandJson.MAPPER.valueToTree(target));
        event.putObject("claim").put("decision", decision).put("attempt", 1);
        event.putObject("release").put("taskDefinition", "arn:aws:ecs:eu-west-1:123456789012:task-definition/storefront-dev:8");
        return OutcomeInput.parse(event);
    }

    @Test
    void aSuccessIsFinishedAndItsReleaseMarkedVerified() {
        RecordService.Recorded recorded = service.record(event("SUCCEEDED", "PROCEED"));

        assertThat(recorded).isEqualTo(new RecordService.Recorded(Outcome.SUCCEEDED, true, true));
        assertThat(history.finished).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(attempt.finishedAt()).isEqualTo(NOW);
            assertThat(attempt.startedAt()).isEqualTo(Instant.parse("2026-12-06T11:50:00Z"));
        });
        assertThat(history.lastVerified("storefront", "dev")).contains(new VerifiedRevision(
                target.deploymentId().value(), "arn:aws:ecs:eu-west-1:123456789012:task-definition/storefront-dev:8",
                target.image().uri(), NOW, "acme-dev/storefront-dev"));
    }

    @Test
    void aFailureIsFinishedButVerifiesNothing() {
        assertThat(service.record(event("ROLLED_BACK", "PROCEED")))
                .isEqualTo(new RecordService.Recorded(Outcome.ROLLED_BACK, true, false));
        assertThat(history.finished).singleElement().extracting(attempt -> attempt.outcome())
                .isEqualTo(Outcome.ROLLED_BACK);
        assertThat(history.lastVerified("storefront", "dev")).isEmpty();
    }

    @Test
    void aSupersededAttemptIsFinishedAsSupersededAndVerifiesNothing() {
        assertThat(service.record(event("SUPERSEDED", "PROCEED")))
                .isEqualTo(new RecordService.Recorded(Outcome.SUPERSEDED, true, false));
        assertThat(history.finished).singleElement().extracting(attempt -> attempt.outcome())
                .isEqualTo(Outcome.SUPERSEDED);
        assertThat(history.lastVerified("storefront", "dev")).isEmpty();
    }

    @Test
    void anExecutionThatNeverClaimedTheDeploymentRecordsNothing() {
        assertThat(service.record(event("FAILED", "DUPLICATE")))
                .isEqualTo(new RecordService.Recorded(Outcome.FAILED, false, false));
        assertThat(history.finished).isEmpty();
    }
}
