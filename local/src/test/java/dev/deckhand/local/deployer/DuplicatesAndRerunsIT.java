package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.deployment.Outcome;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * EventBridge delivers at least once, a push with N tags emits N events, and the console reruns an
 * execution with its input: each must deploy a digest to a target once, or retry deliberately.
 */
class DuplicatesAndRerunsIT extends FreshDeckhandIT {


    @Test
    void theSameEventDeliveredTwiceDeploysOnce() throws Exception {
        int revisionsBefore = revisions("storefront-staging");
        EcrImage image = deckhand.push("acme/storefront", List.of("release-3.0.0"), ImageBehaviour.healthy());
        String event = deckhand.cloud().events().events().stream()
                .filter(candidate -> candidate.path("detail").path("image-digest").asText().equals(image.digest()))
                .findFirst().orElseThrow().toString();

        String redelivered = deckhand.startExecution(event);
        List<ExecutionDescription> executions = scenarios.finishedExecutionsOf(image, 2);

        assertThat(executions).hasSize(2).extracting(ExecutionDescription::executionArn).contains(redelivered);
        assertThat(outcomesOf(executions.stream().map(ExecutionDescription::executionArn).toList()))
                .containsEntry("SUCCEEDED", 1L).containsEntry("DUPLICATE", 1L);
        assertThat(revisions("storefront-staging")).isEqualTo(revisionsBefore + 1);
    }

    @Test
    void aPushWithThreeTagsDeploysOnceAndReportsTwoDuplicates() throws Exception {
        EcrImage image = deckhand.push("acme/storefront", List.of("release-2.5.0", "release-latest", "release-2.5"),
                ImageBehaviour.healthy());

        List<ExecutionDescription> executions = scenarios.finishedExecutionsOf(image, 3);

        assertThat(executions).hasSize(3).allSatisfy(execution ->
                assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED));
        assertThat(outcomesOf(executions.stream().map(ExecutionDescription::executionArn).toList()))
                .containsEntry("SUCCEEDED", 1L).containsEntry("DUPLICATE", 2L);
        assertThat(scenarios.servingImage("acme-staging", "storefront-staging", "web")).isEqualTo(image.uri());
    }

    @Test
    void aConsoleRerunOfASuccessfulDeploymentIsADuplicateThatChangesNothing() throws Exception {
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-rerun"), ImageBehaviour.healthy());
        ExecutionDescription deployed = scenarios.finishedExecutionOf(image);
        int revisionsBefore = revisions("storefront-dev");

        String rerun = deckhand.startExecution(deployed.input());

        ExecutionDescription result = deckhand.awaitCompletion(rerun, DeployerScenarios.TIMEOUT);
        assertThat(DeployerScenarios.json(result.output()).path("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(revisions("storefront-dev")).isEqualTo(revisionsBefore);
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(image.uri());
    }

    @Test
    void aConsoleRerunOfARolledBackDeploymentIsASecondAttempt() throws Exception {
        EcrImage good = deckhand.push("acme/storefront", List.of("feature-good"), ImageBehaviour.healthy());
        assertThat(scenarios.finishedExecutionOf(good).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        EcrImage bad = deckhand.push("acme/storefront", List.of("feature-bad"), ImageBehaviour.unhealthy());
        ExecutionDescription rolledBack = scenarios.finishedExecutionOf(bad);
        assertThat(rolledBack.error()).isEqualTo("Deckhand.RolledBack");
        String deploymentId = deploymentIdOf(rolledBack);

        String rerun = deckhand.startExecution(rolledBack.input());
        ExecutionDescription second = deckhand.awaitCompletion(rerun, DeployerScenarios.TIMEOUT);

        assertThat(second.error()).isEqualTo("Deckhand.RolledBack");
        assertThat(deckhand.history().attempt(deploymentId, 1).orElseThrow().outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(deckhand.history().attempt(deploymentId, 2).orElseThrow()).satisfies(record -> {
            assertThat(record.executionArn()).isEqualTo(rerun);
            assertThat(record.trigger()).isEqualTo("rerun");
        });
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(good.uri());
    }

    private String deploymentIdOf(ExecutionDescription execution) {
        return deckhand.history().recent("storefront", "dev", 10).stream()
                .filter(record -> record.executionArn().equals(execution.executionArn()))
                .findFirst().orElseThrow().deploymentId();
    }


    private Map<String, Long> outcomesOf(List<String> executionArns) throws InterruptedException {
        for (String arn : executionArns) {
            deckhand.awaitCompletion(arn, DeployerScenarios.TIMEOUT);
        }
        return executionArns.stream()
                .map(arn -> deckhand.engine().describeExecution(arn))
                .map(execution -> DeployerScenarios.json(execution.output()).path("outcome").asText())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private int revisions(String family) {
        return deckhand.sdk().ecs().listTaskDefinitions(request -> request.familyPrefix(family)).taskDefinitionArns().size();
    }
}
