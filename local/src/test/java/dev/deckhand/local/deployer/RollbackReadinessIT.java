package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * Rollback keeps its way back. billing-worker/staging has no migration, so a crashing image fails
 * in the rollout itself, after the service changed. API_DeregisterTaskDefinition: "you can't update
 * an existing service to reference an INACTIVE task definition", yet "INACTIVE task definitions
 * remain discoverable", so Deckhand registers an equivalent revision from its description. An image
 * deleted from ECR cannot be pulled again, so Deckhand refuses the rollback before changing the
 * service and says why (API_DescribeImages: ImageNotFoundException).
 */
class RollbackReadinessIT extends FreshDeckhandIT {

    private static final String CLUSTER = "acme-staging";
    private static final String SERVICE = "billing-worker-staging";

    @Test
    void aDeregisteredVerifiedRevisionIsRegisteredAgainAndTheRollbackSucceeds() throws Exception {
        EcrImage good = deployed("good");
        String verified = scenarios.service(CLUSTER, SERVICE).taskDefinition();
        var ecs = deckhand.sdk().ecs();
        ecs.deregisterTaskDefinition(request -> request.taskDefinition(verified));

        ExecutionDescription execution = scenarios.finishedExecutionOf(
                deckhand.push("acme/billing-worker-staging", List.of("crash"), new ImageBehaviour.CrashOnStart(1)));

        assertThat(execution.error()).as(execution.cause()).isEqualTo("Deckhand.RolledBack");
        assertThat(scenarios.servingImage(CLUSTER, SERVICE, "app")).isEqualTo(good.uri());
        String serving = scenarios.service(CLUSTER, SERVICE).taskDefinition();
        assertThat(serving).isNotEqualTo(verified);
        var reRegistered = ecs.describeTaskDefinition(request -> request.taskDefinition(serving)).taskDefinition();
        var original = ecs.describeTaskDefinition(request -> request.taskDefinition(verified)).taskDefinition();
        assertThat(reRegistered.status()).isEqualTo(TaskDefinitionStatus.ACTIVE);
        assertThat(reRegistered.containerDefinitions()).isEqualTo(original.containerDefinitions());
        assertThat(lastReport().path("outcome").asText()).isEqualTo(Outcome.ROLLED_BACK.name());
        assertThat(deckhand.history().recent("billing-worker", "staging", 1).get(0).outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertNoLockHeld();
    }

    @Test
    void aVerifiedImageDeletedFromEcrIsReportedAndTheServiceIsNotChangedAgain() throws Exception {
        // storefront/dev: the new image never answers healthy, so ECS keeps it and Deckhand must roll back.
        EcrImage good = deckhand.push("acme/storefront", List.of("feature-good"), ImageBehaviour.healthy());
        assertThat(scenarios.finishedExecutionOf(good).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        deckhand.ecr().deleteImage("acme/storefront", good.digest());

        EcrImage bad = deckhand.push("acme/storefront", List.of("feature-unhealthy"), new ImageBehaviour.Unhealthy());
        ExecutionDescription execution = scenarios.finishedExecutionOf(bad);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("Deckhand.RollbackFailed");
        JsonNode report = lastReport();
        assertThat(report.path("outcome").asText()).isEqualTo(Outcome.ROLLBACK_FAILED.name());
        assertThat(report.path("summary").asText()).contains(good.uri() + " is no longer in ECR repository acme/storefront");
        // No futile update: the service still runs the failed deployment's revision, and no rollback was awaited.
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(bad.uri());
        assertThat(deckhand.engine().getExecutionHistory(execution.executionArn()).stream()
                .filter(event -> "Wait for the rollback".equals(event.stateName()))).isEmpty();
        assertThat(deckhand.history().recent("storefront", "dev", 1).get(0).outcome())
                .isEqualTo(Outcome.ROLLBACK_FAILED);
        assertNoLockHeld();
    }

    @Test
    void aRevisionVerifiedOnAnotherEcsServiceIsNeverRolledBackTo() throws Exception {
        EcrImage good = deckhand.push("acme/storefront", List.of("feature-good"), ImageBehaviour.healthy());
        assertThat(scenarios.finishedExecutionOf(good).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        // What the history holds when dev was moved from ECS service storefront-dev-old to
        // storefront-dev in the configuration: the last verified revision ran on the old service.
        VerifiedRevision verified = deckhand.history().lastVerified("storefront", "dev").orElseThrow();
        deckhand.history().markVerified("storefront", "dev", new VerifiedRevision(verified.deploymentId(),
                verified.taskDefinition(), verified.image(), verified.verifiedAt(), "acme-dev/storefront-dev-old"));

        EcrImage bad = deckhand.push("acme/storefront", List.of("feature-unhealthy"), new ImageBehaviour.Unhealthy());
        ExecutionDescription execution = scenarios.finishedExecutionOf(bad);

        assertThat(execution.error()).isEqualTo("Deckhand.DeploymentFailed");
        JsonNode report = lastReport();
        assertThat(report.path("outcome").asText()).isEqualTo(Outcome.FAILED.name());
        assertThat(report.path("summary").asText()).contains("ran on ECS service acme-dev/storefront-dev-old, and "
                + "this environment now deploys acme-dev/storefront-dev, where Deckhand has verified nothing");
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(bad.uri());
        assertThat(deckhand.engine().getExecutionHistory(execution.executionArn()).stream()
                .filter(event -> "Wait for the rollback".equals(event.stateName()))).isEmpty();
        assertThat(deckhand.history().recent("storefront", "dev", 1).get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertNoLockHeld();
    }

    @Test
    void everyDeploymentRecordsBeforeTheServiceChangesWhetherItCouldRollBack() throws Exception {
        EcrImage first = deployed("first");
        assertThat(releaseOfLatest().path("rollbackReadiness").asText()).isEqualTo("not ready: nothing to roll back "
                + "to: Deckhand never verified a revision of billing-worker/staging healthy (first deployment)");

        EcrImage second = deployed("second");
        assertThat(releaseOfLatest().path("rollbackReadiness").asText())
                .startsWith("ready: a rollback would return to " + first.uri());

        deckhand.ecr().deleteImage("acme/billing-worker-staging", second.digest());
        deployed("third");
        assertThat(releaseOfLatest().path("rollbackReadiness").asText()).isEqualTo("not ready: cannot roll back "
                + "billing-worker/staging: the last verified image " + second.uri() + " is no longer in ECR "
                + "repository acme/billing-worker-staging (deleted, or expired by a lifecycle rule)");
    }

    private JsonNode releaseOfLatest() {
        return deckhand.history().recent("billing-worker", "staging", 1).get(0).details().path("release");
    }

    private EcrImage deployed(String tag) throws InterruptedException {
        EcrImage image = deckhand.push("acme/billing-worker-staging", List.of(tag), ImageBehaviour.healthy());
        ExecutionDescription execution = scenarios.finishedExecutionOf(image);
        assertThat(execution.status()).as(execution.error() + ": " + execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        return image;
    }

    private JsonNode lastReport() {
        List<JsonNode> published = scenarios.published();
        return published.get(published.size() - 1);
    }

    private void assertNoLockHeld() {
        assertThat(deckhand.sdk().dynamo().scanPaginator(request -> request.tableName(LocalDeckhand.LOCKS_TABLE)
                .consistentRead(true)).items().stream().filter(item -> item.containsKey("holder")).toList()).isEmpty();
    }
}
