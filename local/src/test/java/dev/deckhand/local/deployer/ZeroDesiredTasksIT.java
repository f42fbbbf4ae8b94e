package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.deployment.Outcome;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A service scaled to zero runs no task, so neither the rollout nor the health check can observe
 * the new revision (API_Service: desiredCount, "the desired number of instantiations of the task
 * definition to keep running on the service").
 * Deckhand refuses to deploy it before changing anything, rather than report SUCCEEDED with 0 tasks.
 */
class ZeroDesiredTasksIT extends FreshDeckhandIT {

    @Test
    void aServiceScaledToZeroIsRefusedAsUnverifiableAndLeftUnchanged() throws Exception {
        var ecs = deckhand.sdk().ecs();
        ecs.updateService(request -> request.cluster("acme-staging").service("billing-worker-staging").desiredCount(0));
        String before = scenarios.service("acme-staging", "billing-worker-staging").taskDefinition();
        int revisions = ecs.listTaskDefinitions(request -> request.familyPrefix("billing-worker-staging"))
                .taskDefinitionArns().size();

        EcrImage image = deckhand.push("acme/billing-worker-staging", List.of("v2"), ImageBehaviour.healthy());
        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("Deckhand.DeploymentFailed");
        assertThat(execution.cause()).contains("NothingToVerifyException").contains("has a desired count of 0");
        assertThat(scenarios.service("acme-staging", "billing-worker-staging").taskDefinition()).isEqualTo(before);
        assertThat(ecs.listTaskDefinitions(request -> request.familyPrefix("billing-worker-staging"))
                .taskDefinitionArns()).hasSize(revisions);
        assertThat(deckhand.history().recent("billing-worker", "staging", 1).get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(deckhand.history().lastVerified("billing-worker", "staging")).isEmpty();
        assertThat(deckhand.sdk().dynamo().scanPaginator(request -> request.tableName(LocalDeckhand.LOCKS_TABLE)
                .consistentRead(true)).items().stream().filter(item -> item.containsKey("holder")).toList()).isEmpty();
    }
}
