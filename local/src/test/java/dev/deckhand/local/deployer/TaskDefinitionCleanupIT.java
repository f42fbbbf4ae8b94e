package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * After a success Deckhand deregisters the surplus revisions it registered in the family, through
 * the local ECS's ListTaskDefinitions (familyPrefix, status, paging) and DeregisterTaskDefinition,
 * which leaves a revision INACTIVE (API_DeregisterTaskDefinition). billing-worker/staging keeps 2.
 */
class TaskDefinitionCleanupIT {

    private static final String CLUSTER = "acme-staging";
    private static final String SERVICE = "billing-worker-staging";

    private LocalDeckhand deckhand;
    private DeployerScenarios scenarios;

    @BeforeEach
    void startDeckhand() {
        String yaml = Fixtures.read("deckhand.yml").replace("        service: billing-worker-staging\n",
                "        service: billing-worker-staging\n        keepRevisions: 2\n");
        deckhand = LocalDeckhand.builder(ConfigurationLoader.parse(yaml, "deckhand.yml")).start();
        scenarios = new DeployerScenarios(deckhand);
    }

    @AfterEach
    void stopDeckhand() {
        deckhand.close();
    }

    @Test
    void keepsTheNewestRevisionsTheVerifiedOnesAndThoseDeckhandDidNotRegister() throws Exception {
        EcsClient ecs = deckhand.sdk().ecs();
        String original = scenarios.service(CLUSTER, SERVICE).taskDefinition();
        List<String> registered = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            EcrImage image = deckhand.push("acme/billing-worker-staging", List.of("build-" + i), ImageBehaviour.healthy());
            ExecutionDescription execution = scenarios.finishedExecutionOf(image);
            assertThat(execution.status()).as(execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
            registered.add(scenarios.service(CLUSTER, SERVICE).taskDefinition());
            if (i == 1) {
                // Another environment's rollback target in the same family: what prod would hold had it
                // verified this revision. It must survive however old it gets.
                VerifiedRevision staging = deckhand.history().lastVerified("billing-worker", "staging").orElseThrow();
                deckhand.history().markVerified("billing-worker", "prod", new VerifiedRevision("other",
                        staging.taskDefinition(), staging.image(), staging.verifiedAt(), "acme-prod/billing-worker-prod"));
            }
        }

        Map<String, TaskDefinitionStatus> status = new TreeMap<>();
        for (String arn : concat(original, registered)) {
            status.put(arn, ecs.describeTaskDefinition(request -> request.taskDefinition(arn)).taskDefinition().status());
        }
        assertThat(status).containsEntry(original, TaskDefinitionStatus.ACTIVE) // not registered by Deckhand
                .containsEntry(registered.get(0), TaskDefinitionStatus.ACTIVE) // prod's verified revision
                .containsEntry(registered.get(1), TaskDefinitionStatus.INACTIVE)
                .containsEntry(registered.get(2), TaskDefinitionStatus.INACTIVE)
                .containsEntry(registered.get(3), TaskDefinitionStatus.ACTIVE) // newest two
                .containsEntry(registered.get(4), TaskDefinitionStatus.ACTIVE); // running and verified
        String family = registered.get(4).substring(registered.get(4).lastIndexOf('/') + 1,
                registered.get(4).lastIndexOf(':'));
        assertThat(ecs.listTaskDefinitionsPaginator(request -> request.familyPrefix(family)
                .status(TaskDefinitionStatus.INACTIVE)).taskDefinitionArns().stream().toList())
                .containsExactlyInAnyOrder(registered.get(1), registered.get(2));
        // The cleanup is part of the recorded outcome.
        assertThat(deckhand.history().recent("billing-worker", "staging", 1).get(0).details().path("cleanup").asText())
                .isEqualTo("kept the newest 2 revisions of " + family + " that Deckhand registered, deregistered 1");
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }
}
