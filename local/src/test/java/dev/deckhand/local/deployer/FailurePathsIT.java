package dev.deckhand.local.deployer;

import dev.deckhand.local.StartedTasks;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each failure the deployer must survive, on a fresh local Deckhand: the outcome, the service ECS
 * ends up running, the history and the published report.
 */
class FailurePathsIT extends FreshDeckhandIT {


    @Test
    void aFailedMigrationLeavesTheServiceUntouched() throws Exception {
        String before = scenarios.servingImage("acme-dev", "storefront-dev", "web");
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-schema"), new ImageBehaviour.MigrationExit(1));

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("Deckhand.DeploymentFailed");
        // The error, then the message: what the console shows, with no Lambda payload or stack trace.
        assertThat(execution.cause()).startsWith("dev.deckhand.errors.MigrationFailedException: ")
                .contains("exited with code 1").doesNotContain("stackTrace").doesNotContain("errorType");
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(before);
        assertReported(Outcome.FAILED, "migration exited with code 1");
    }

    @Test
    void aSidecarThatExitsZeroDoesNotHideTheMigrationsExitCode() throws Exception {
        addLogRouterSidecar("acme-dev", "storefront-dev");
        String before = scenarios.servingImage("acme-dev", "storefront-dev", "web");
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-sidecar"), new ImageBehaviour.MigrationExit(1));

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.cause()).contains("migration exited with code 1");
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(before);
        assertThat(StartedTasks.of(deckhand.sdk().ecs(), "acme-dev", "deckhand", DesiredStatus.STOPPED).get(0)
                .containers()).extracting(container -> container.name() + "=" + container.exitCode())
                .containsExactlyInAnyOrder("web=1", "log-router=0");
    }

    /** Points the service at a revision with a non-essential log router beside its container, as many teams run. */
    private void addLogRouterSidecar(String cluster, String service) {
        deckhand.ecr().ensureRepository("acme/log-router");
        EcrImage router = deckhand.push("acme/log-router", List.of("3.0"), ImageBehaviour.healthy());
        var ecs = deckhand.sdk().ecs();
        String current = scenarios.service(cluster, service).taskDefinition();
        var live = ecs.describeTaskDefinition(request -> request.taskDefinition(current)).taskDefinition();
        String withSidecar = ecs.registerTaskDefinition(request -> request.family(live.family())
                .networkMode(live.networkMode()).requiresCompatibilitiesWithStrings(live.requiresCompatibilitiesAsStrings())
                .cpu(live.cpu()).memory(live.memory())
                .containerDefinitions(live.containerDefinitions().get(0), software.amazon.awssdk.services.ecs.model
                        .ContainerDefinition.builder().name("log-router").image(router.uri()).essential(false).build()))
                .taskDefinition().taskDefinitionArn();
        ecs.updateService(request -> request.cluster(cluster).service(service).taskDefinition(withSidecar));
    }

    @Test
    void aMigrationImageThatNeverStartsFailsWithEcsReason() throws Exception {
        String before = scenarios.servingImage("acme-dev", "storefront-dev", "web");
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-broken-image"), new ImageBehaviour.PullFailure());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.cause()).contains("stopped before it ran");
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(before);
    }

    @Test
    void anImageThatCrashesOnStartFailsInItsMigrationBeforeTheServiceChanges() throws Exception {
        String before = scenarios.servingImage("acme-dev", "storefront-dev", "web");
        EcrImage bad = deckhand.push("acme/storefront", List.of("feature-crash"), new ImageBehaviour.CrashOnStart(1));

        ExecutionDescription execution = scenarios.finishedExecutionOf(bad);

        assertThat(execution.error()).isEqualTo("Deckhand.DeploymentFailed");
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(before);
        assertReported(Outcome.FAILED, "MigrationFailedException");
    }

    @Test
    void aRolloutThatCrashesRollsBackToTheLastVerifiedRevision() throws Exception {
        // billing-worker/staging has no migration: the crash happens in the rollout itself.
        EcrImage good = deckhand.push("acme/billing-worker-staging", List.of("good"), ImageBehaviour.healthy());
        assertThat(scenarios.finishedExecutionOf(good).status()).isEqualTo(ExecutionStatus.SUCCEEDED);

        EcrImage bad = deckhand.push("acme/billing-worker-staging", List.of("crash"), new ImageBehaviour.CrashOnStart(1));
        ExecutionDescription execution = scenarios.finishedExecutionOf(bad);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("Deckhand.RolledBack");
        assertThat(scenarios.servingImage("acme-staging", "billing-worker-staging", "app")).isEqualTo(good.uri());
        assertReported(Outcome.ROLLED_BACK, "RolloutFailedException");
    }

    @Test
    void aServiceThatNeverAnswersHealthyIsRolledBackAfterTheBackoffSchedule() throws Exception {
        EcrImage good = deployHealthy("feature-good");

        EcrImage bad = deckhand.push("acme/storefront", List.of("feature-unhealthy"), new ImageBehaviour.Unhealthy());
        ExecutionDescription execution = scenarios.finishedExecutionOf(bad);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("Deckhand.RolledBack");
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(good.uri());
        assertReported(Outcome.ROLLED_BACK, "unhealthy after 8 rounds");
        assertThat(deckhand.metrics()).anySatisfy(metric -> {
            assertThat(metric.name()).isEqualTo("Rollbacks");
            assertThat(metric.dimensions()).containsEntry("Service", "storefront").containsEntry("Environment", "dev");
        });
        // dev allows 8 rounds; the state's Retry (1 s, rate 2, at most 60 s) spaces them on the simulated clock.
        assertThat(secondsBetweenHealthRounds(execution.executionArn())).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L);
    }

    /** Gaps between the health-check Lambda invocations of the deployment's "Verify health" state. */
    private List<Long> secondsBetweenHealthRounds(String executionArn) {
        List<HistoryEvent> rounds = deckhand.engine().getExecutionHistory(executionArn).stream()
                .filter(event -> event.type().equals("TaskScheduled"))
                .filter(event -> event.details().toString().contains(Functions.HEALTH_CHECK))
                .filter(event -> !event.details().toString().contains("expectedImage"))
                .toList();
        List<Long> gaps = new java.util.ArrayList<>();
        for (int i = 1; i < rounds.size(); i++) {
            gaps.add(java.time.Duration.between(rounds.get(i - 1).timestamp(), rounds.get(i).timestamp()).toSeconds());
        }
        return gaps;
    }

    @Test
    void aFirstDeploymentThatFailsHasNothingToRollBackTo() throws Exception {
        EcrImage bad = deckhand.push("acme/billing-worker-staging", List.of("crash"), new ImageBehaviour.CrashOnStart(1));

        ExecutionDescription execution = scenarios.finishedExecutionOf(bad);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("Deckhand.DeploymentFailed");
        assertReported(Outcome.FAILED, "nothing to roll back to");
    }

    private EcrImage deployHealthy(String tag) throws InterruptedException {
        EcrImage image = deckhand.push("acme/storefront", List.of(tag), ImageBehaviour.healthy());
        ExecutionDescription execution = scenarios.finishedExecutionOf(image);
        assertThat(execution.status()).as(execution.error() + ": " + execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        return image;
    }

    private void assertReported(Outcome outcome, String text) {
        List<JsonNode> published = scenarios.published();
        JsonNode last = published.get(published.size() - 1);
        assertThat(last.path("outcome").asText()).isEqualTo(outcome.name());
        assertThat(last.path("summary").asText()).contains(text);
    }
}
