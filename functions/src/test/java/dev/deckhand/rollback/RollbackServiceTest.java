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
import dev.deckhand.errors.RollbackTargetUnavailableException;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.testing.InMemoryDeploymentHistory;
import dev.deckhand.testing.Targets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RollbackService over an in-memory history and ECS: back to the last verified revision, or a clear refusal. */
class RollbackServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private static final String GOOD_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/storefront@sha256:"
            + "ab".repeat(32);
    private static final String REVISION = "arn:aws:ecs:eu-west-1:123456789012:task-definition/storefront-dev:5";

    private final InMemoryDeploymentHistory history = new InMemoryDeploymentHistory();
    private final List<String> updates = new ArrayList<>();
    /** The image URIs the registry still holds. */
    private final Set<String> inEcr = new HashSet<>(Set.of(GOOD_IMAGE));
    private final UpdateOnlyEcs ecs = new UpdateOnlyEcs(updates);
    private final RollbackService service = new RollbackService(history,
            new DeployService(ecs, Clock.fixed(NOW, ZoneOffset.UTC)), ecs,
            image -> inEcr.contains(image.uri()) ? Optional.of(NOW.minusSeconds(3600)) : Optional.empty());
    private final DeploymentTarget failing = Targets.storefrontDev("feature-bad", "cd");

    @Test
    void rollsTheServiceBackToTheLastVerifiedRevisionAndItsImage() {
        history.markVerified("storefront", "dev", new VerifiedRevision("storefront.dev.abababababababab",
                REVISION, GOOD_IMAGE, NOW.minusSeconds(600), "acme-dev/storefront-dev"));

        Rollout rollout = service.start(failing);

        assertThat(rollout).isEqualTo(new Rollout("ecs-svc/9", REVISION, GOOD_IMAGE, NOW, null));
        assertThat(updates).containsExactly("acme-dev/storefront-dev → " + REVISION);
    }

    @Test
    void aVerifiedImageNoLongerInEcrLeavesTheServiceUnchanged() {
        history.markVerified("storefront", "dev", new VerifiedRevision("storefront.dev.abababababababab",
                REVISION, GOOD_IMAGE, NOW.minusSeconds(600), "acme-dev/storefront-dev"));
        inEcr.clear();

        assertThatThrownBy(() -> service.start(failing)).isInstanceOf(RollbackTargetUnavailableException.class)
                .hasMessageContaining("is no longer in ECR repository acme/storefront");
        assertThat(updates).isEmpty();
    }

    @Test
    void aRevisionVerifiedOnAnotherEcsServiceIsNothingToRollBackTo() {
        history.markVerified("storefront", "dev", new VerifiedRevision("storefront.dev.abababababababab",
                REVISION, GOOD_IMAGE, NOW.minusSeconds(600), "acme-old/storefront-dev"));

        assertThatThrownBy(() -> service.start(failing)).isInstanceOf(NothingToRollBackException.class)
                .hasMessageContaining("ran on ECS service acme-old/storefront-dev");
        assertThat(updates).isEmpty();
    }

    @Test
    void aFirstDeploymentHasNothingToRollBackTo() {
        assertThatThrownBy(() -> service.start(failing)).isInstanceOf(NothingToRollBackException.class)
                .hasMessage("nothing to roll back to: Deckhand never verified a revision of storefront/dev healthy "
                        + "(first deployment)");
        assertThat(updates).isEmpty();
    }

    /** A rollback only finds a usable revision and updates the service; anything else it asked of ECS would be a mistake. */
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
        public java.util.Optional<dev.deckhand.deploy.ServiceDeploymentState> serviceDeployment(String serviceDeploymentArn) {
            throw new AssertionError("a rollback never reads a service deployment");
        }

        @Override
        public String updateService(String cluster, String service, String taskDefinitionArn,
                dev.deckhand.deploy.StrategyRequest strategy) {
            updates.add(cluster + "/" + service + " → " + taskDefinitionArn);
            return "ecs-svc/9";
        }

        @Override
        public java.util.Optional<String> newestServiceDeployment(String cluster, String service, Instant notBefore) {
            return java.util.Optional.empty();
        }

        @Override
        public List<String> stoppedTasks(String cluster, String service, String ecsDeploymentId, int limit) {
            throw new AssertionError("a rollback lists no tasks");
        }

        /** Every revision here is still ACTIVE, so the verified one is usable as it is. */
        @Override
        public TaskDefinitionRevision usableRevision(String taskDefinitionArn, DeploymentId deploymentId) {
            return new TaskDefinitionRevision(taskDefinitionArn, "web", true);
        }
    }
}
