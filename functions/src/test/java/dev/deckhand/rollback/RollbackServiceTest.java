package dev.deckhand.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.deploy.DeployService;
import dev.deckhand.deploy.EcsDeployments;
import dev.deckhand.deploy.Rollout;
import dev.deckhand.deploy.ServiceSnapshot;
import dev.deckhand.deploy.TaskDefinitionRevision;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.errors.NothingToRollBackException;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.testing.InMemoryDeploymentHistory;
import dev.deckhand.testing.Targets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RollbackService over an in-memory history and ECS: back to the last verified revision, or a clear refusal. */
class RollbackServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private final InMemoryDeploymentHistory history = new InMemoryDeploymentHistory();
    private final List<String> updates = new ArrayList<>();
    private final RollbackService service = new RollbackService(history,
            new DeployService(new UpdateOnlyEcs(updates), Clock.fixed(NOW, ZoneOffset.UTC)));
    private final DeploymentTarget failing = Targets.storefrontDev("feature-bad", "cd");

    @Test
    void rollsTheServiceBackToTheLastVerifiedRevisionAndItsImage() {
        history.markVerified("storefront", "dev", new VerifiedRevision("storefront.dev.abababababababab",
                "arn:aws:ecs:eu-west-1:123456789012:task-definition/storefront-dev:5", "good-image", NOW.minusSeconds(600)));

        Rollout rollout = service.start(failing);

        assertThat(rollout).isEqualTo(new Rollout("ecs-svc/9",
                "arn:aws:ecs:eu-west-1:123456789012:task-definition/storefront-dev:5", "good-image", NOW));
        assertThat(updates).containsExactly("acme-dev/storefront-dev → "
                + "arn:aws:ecs:eu-west-1:123456789012:task-definition/storefront-dev:5");
    }

    @Test
    void aFirstDeploymentHasNothingToRollBackTo() {
        assertThatThrownBy(() -> service.start(failing)).isInstanceOf(NothingToRollBackException.class)
                .hasMessage("nothing to roll back to: Deckhand never verified a revision of storefront/dev healthy "
                        + "(first deployment)");
        assertThat(updates).isEmpty();
    }

    /** A rollback only updates the service; anything else it asked of ECS would be a mistake. */
    private record UpdateOnlyEcs(List<String> updates) implements EcsDeployments {
        @Override
        public ServiceSnapshot describeService(String cluster, String service) {
            throw new AssertionError("a rollback does not describe the service");
        }

        @Override
        public TaskDefinitionRevision registerRevision(String base, String container, String imageUri, DeploymentId id) {
            throw new AssertionError("a rollback registers no revision");
        }

        @Override
        public String updateService(String cluster, String service, String taskDefinitionArn) {
            updates.add(cluster + "/" + service + " → " + taskDefinitionArn);
            return "ecs-svc/9";
        }

        @Override
        public List<String> stoppedTasks(String cluster, String service, String ecsDeploymentId, int limit) {
            throw new AssertionError("a rollback lists no tasks");
        }
    }
}
