package dev.deckhand.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.errors.DeploymentTargetNotFoundException;
import dev.deckhand.errors.RolloutFailedException;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.readiness.RollbackReadiness;
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

/** DeployService over an in-memory ECS: what each of its three steps asks of ECS and answers. */
class DeployServiceTest {

    private static final String SERVICE_DEPLOYMENT =
            "arn:aws:ecs:eu-west-1:123456789012:service-deployment/acme-dev/storefront-dev/ejGvqq2ilnbKT9qj0vLJe";

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final String CURRENT = "arn:aws:ecs:eu-west-1:123456789012:task-definition/storefront-dev:7";
    private static final String PINNED = "arn:aws:ecs:eu-west-1:123456789012:task-definition/storefront-dev:8";

    private final FakeEcs ecs = new FakeEcs();
    private final DeploymentTarget target = Targets.storefrontDev("feature-x", "ab");

    private DeployService service(Instant now) {
        return new DeployService(ecs, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void prepareRegistersTheImageOnTopOfTheTaskDefinitionThePrimaryDeploymentRuns() {
        ecs.snapshot = snapshot(new EcsDeployment("ecs-svc/1", CURRENT, "PRIMARY", "COMPLETED", null, 2, 2, 0));

        Release release = service(NOW).prepare(target);

        assertThat(release).isEqualTo(new Release(CURRENT, PINNED, "web", false));
        assertThat(ecs.registered).containsExactly(CURRENT + " " + target.image().uri() + " " + target.deploymentId());
    }

    @Test
    void prepareSaysBeforeTheServiceChangesWhetherARollbackWouldHaveSomewhereToGo() {
        ecs.snapshot = snapshot(new EcsDeployment("ecs-svc/1", CURRENT, "PRIMARY", "COMPLETED", null, 2, 2, 0));
        InMemoryDeploymentHistory history = new InMemoryDeploymentHistory();
        String verifiedImage = target.image().registry() + "/" + target.image().repository() + "@sha256:" + "c".repeat(64);
        history.markVerified("storefront", "dev", new VerifiedRevision("d-0", CURRENT, verifiedImage,
                NOW.minusSeconds(3600), "acme-dev/storefront-dev"));
        Set<String> inEcr = new HashSet<>(Set.of(verifiedImage));
        DeployService service = new DeployService(ecs, Clock.fixed(NOW, ZoneOffset.UTC),
                new RollbackReadiness(history, image -> inEcr.contains(image.uri()) ? Optional.of(NOW) : Optional.empty()));

        assertThat(service.prepare(target).rollbackReadiness()).isEqualTo("ready: a rollback would return to "
                + verifiedImage + " (" + CURRENT + ", verified 2026-12-06T11:00:00Z)");
        inEcr.clear(); // an ECR lifecycle rule expired it
        assertThat(service.prepare(target).rollbackReadiness()).isEqualTo("not ready: cannot roll back storefront/dev: "
                + "the last verified image " + verifiedImage + " is no longer in ECR repository "
                + target.image().repository() + " (deleted, or expired by a lifecycle rule)");
        assertThat(ecs.updates).as("prepare never changes the service").isEmpty();
    }

    @Test
    void prepareWithoutAPrimaryDeploymentSaysWhatIsMissing() {
        ecs.snapshot = snapshot();

        assertThatThrownBy(() -> service(NOW).prepare(target)).isInstanceOf(DeploymentTargetNotFoundException.class)
                .hasMessage("ECS service storefront-dev in cluster acme-dev has no PRIMARY deployment to take the "
                        + "task definition from");
    }

    @Test
    void updateStartsARolloutStampedWithTheClockAndNamesEcsServiceDeployment() {
        Rollout rollout = service(NOW).update(target, PINNED, target.image().uri());

        assertThat(rollout).isEqualTo(new Rollout("ecs-svc/2", PINNED, target.image().uri(), NOW, SERVICE_DEPLOYMENT));
        assertThat(ecs.updates).containsExactly("acme-dev/storefront-dev → " + PINNED);
        // A retried update finds the service deployment its first try started.
        assertThat(ecs.serviceDeploymentLookups).containsExactly(NOW.minus(DeployService.SERVICE_DEPLOYMENT_LOOKBACK));
    }

    @Test
    void aRolloutInProgressIsReportedUntilItsDeadlineThenFails() {
        ecs.snapshot = snapshot(new EcsDeployment("ecs-svc/2", PINNED, "PRIMARY", "IN_PROGRESS", null, 2, 1, 0));
        Rollout rollout = new Rollout("ecs-svc/2", PINNED, target.image().uri(), NOW, null);

        assertThat(service(NOW.plusSeconds(60)).check(target, rollout))
                .isEqualTo(new RolloutProgress("IN_PROGRESS", "1 of 2 tasks running"));
        assertThatThrownBy(() -> service(NOW.plus(DeployService.ROLLOUT_DEADLINE)).check(target, rollout))
                .isInstanceOf(RolloutFailedException.class)
                .hasMessageStartingWith("the rollout did not finish within 30 minutes (1 of 2 tasks running)");
    }

    @Test
    void aFailedRolloutNamesTheStoppedTasks() {
        ecs.snapshot = snapshot(new EcsDeployment("ecs-svc/2", PINNED, "PRIMARY", "FAILED", "tasks failed to start",
                2, 0, 3));
        ecs.stopped = List.of("app exited 1");

        assertThatThrownBy(() -> service(NOW).check(target, new Rollout("ecs-svc/2", PINNED, "img", NOW, null)))
                .isInstanceOf(RolloutFailedException.class)
                .hasMessage("rollout FAILED: tasks failed to start; stopped tasks: app exited 1");
    }

    @Test
    void aCompletedRolloutIsCompleted() {
        ecs.snapshot = snapshot(new EcsDeployment("ecs-svc/2", PINNED, "PRIMARY", "COMPLETED", null, 2, 2, 0));

        assertThat(service(NOW).check(target, new Rollout("ecs-svc/2", PINNED, "img", NOW, null)).status())
                .isEqualTo("COMPLETED");
    }

    private static ServiceSnapshot snapshot(EcsDeployment... deployments) {
        return new ServiceSnapshot("arn:aws:ecs:eu-west-1:123456789012:service/acme-dev/storefront-dev", "ACTIVE",
                List.of(deployments), List.of());
    }

    /** One service; records what was registered and updated. */
    private static final class FakeEcs implements EcsDeployments {
        ServiceSnapshot snapshot;
        List<String> stopped = List.of();
        final List<String> registered = new ArrayList<>();
        final List<String> updates = new ArrayList<>();
        final List<Instant> serviceDeploymentLookups = new ArrayList<>();

        @Override
        public ServiceSnapshot describeService(String cluster, String service) {
            return snapshot;
        }

        @Override
        public TaskDefinitionRevision registerRevision(String baseTaskDefinitionArn, String container, String imageUri,
                DeploymentId deploymentId) {
            registered.add(baseTaskDefinitionArn + " " + imageUri + " " + deploymentId);
            return new TaskDefinitionRevision(PINNED, container == null ? "web" : container, false);
        }

        @Override
        public String updateService(String cluster, String service, String taskDefinitionArn,
                dev.deckhand.deploy.StrategyRequest strategy) {
            updates.add(cluster + "/" + service + " → " + taskDefinitionArn);
            return "ecs-svc/2";
        }

        @Override
        public java.util.Optional<String> newestServiceDeployment(String cluster, String service, Instant notBefore) {
            serviceDeploymentLookups.add(notBefore);
            return java.util.Optional.of(SERVICE_DEPLOYMENT);
        }

        @Override
        public List<String> stoppedTasks(String cluster, String service, String ecsDeploymentId, int limit) {
            return stopped;
        }

        @Override
        public TaskDefinitionRevision usableRevision(String taskDefinitionArn, DeploymentId deploymentId) {
            throw new AssertionError("a deployment never looks for a rollback revision");
        }
    }
}
