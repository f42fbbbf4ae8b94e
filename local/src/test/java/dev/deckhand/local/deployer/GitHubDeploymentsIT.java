package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.fault.FaultRule;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The github target against a loopback GitHub API that records the requests (GitHub REST API:
 * "Create a deployment", "Create a deployment status", "Create an issue"): a deployment of the
 * tag's commit, in_progress then the final status, log_url the deployment's status route, an
 * issue when the rollback failed, and no change of outcome when GitHub is down.
 */
class GitHubDeploymentsIT {

    private static final String TOKEN_SECRET = "deckhand/github/storefront";
    private static final String COMMIT = "3f2a9c1d0e5b";

    private LocalDeckhand deckhand;
    private DeployerScenarios scenarios;
    private LoopbackGitHub github;

    @BeforeEach
    void start() throws Exception {
        // The sample configuration, with dev shown in GitHub's "staging" environment.
        String text = Files.readString(Fixtures.path("deckhand.yml"), StandardCharsets.UTF_8).replace(
                "          timeoutSeconds: 600            # default 900\n",
                "          timeoutSeconds: 600            # default 900\n"
                        + "        notifications:\n          github: {repository: acme/storefront, tokenSecret: "
                        + TOKEN_SECRET + ", environment: staging}\n");
        deckhand = LocalDeckhand.builder(ConfigurationLoader.parse(text, "deckhand.yml")).configurationText(text)
                .gitHub().start();
        scenarios = new DeployerScenarios(deckhand);
        github = deckhand.gitHub().orElseThrow();
    }

    @AfterEach
    void stop() {
        deckhand.close();
    }

    private ExecutionDescription deploy(String tag, ImageBehaviour behaviour) throws InterruptedException {
        EcrImage image = deckhand.push("acme/storefront", List.of(tag), behaviour);
        return scenarios.finishedExecutionOf(image);
    }

    private List<LoopbackGitHub.Request> requests() {
        return github.requests();
    }

    @Test
    void aSuccessfulDeploymentIsAGitHubDeploymentOfTheTagsCommitInProgressThenSuccess() throws Exception {
        ExecutionDescription execution = deploy("main-" + COMMIT, ImageBehaviour.healthy());

        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        List<LoopbackGitHub.Request> requests = requests();
        assertThat(requests).extracting(LoopbackGitHub.Request::path).containsExactly(
                "/repos/acme/storefront/deployments",
                "/repos/acme/storefront/deployments/1001/statuses",
                "/repos/acme/storefront/deployments/1001/statuses");
        assertThat(requests).allMatch(LoopbackGitHub.Request::authorized);
        JsonNode deployment = requests.get(0).body();
        assertThat(deployment.path("ref").asText()).isEqualTo(COMMIT);
        assertThat(deployment.path("environment").asText()).isEqualTo("staging");
        // Deckhand deploys a built image: no merge of the default branch, no wait for commit statuses.
        assertThat(deployment.path("auto_merge").asBoolean(true)).isFalse();
        assertThat(deployment.path("required_contexts").isArray()).isTrue();
        assertThat(deployment.path("required_contexts")).isEmpty();
        assertThat(requests.get(1).body().path("state").asText()).isEqualTo("in_progress");
        assertThat(requests.get(2).body().path("state").asText()).isEqualTo("success");
        String deploymentId = deployment.path("payload").path("deploymentId").asText();
        assertThat(deploymentId).startsWith("storefront.dev.");
        // log_url: the deployment's status route of Deckhand's API.
        assertThat(requests.get(2).body().path("log_url").asText())
                .isEqualTo(deckhand.apiUrl().toString().replaceAll("/$", "") + "/deployments/" + deploymentId);
        assertThat(requests.get(2).body().path("description").asText().length()).isLessThanOrEqualTo(140);
    }

    @Test
    void aRolledBackDeploymentEndsInFailureWithoutAnIssue() throws Exception {
        deploy("main-" + COMMIT, ImageBehaviour.healthy());
        int before = requests().size();

        ExecutionDescription execution = deploy("main-ab12cd34", ImageBehaviour.unhealthy());

        assertThat(execution.error()).isEqualTo("Deckhand.RolledBack");
        List<LoopbackGitHub.Request> requests = requests().subList(before, requests().size());
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0).body().path("ref").asText()).isEqualTo("ab12cd34");
        assertThat(requests.get(2).body().path("state").asText()).isEqualTo("failure");
        assertThat(requests.get(2).body().path("description").asText()).startsWith("Rolled back storefront/dev");
        assertThat(requests).noneMatch(request -> request.path().endsWith("/issues"));
    }

    @Test
    void aFailedRollbackOpensAnIssue() throws Exception {
        deploy("main-" + COMMIT, ImageBehaviour.healthy());
        EcrImage bad = deckhand.push("acme/storefront", List.of("main-feedbeef"), ImageBehaviour.unhealthy());
        scenarios.awaitEntered(bad, "Verify health");
        // ECS stops accepting service updates just as the deployment needs to roll back.
        deckhand.cloud().faults().add(FaultRule.serverError("AmazonEC2ContainerServiceV20141113", "UpdateService", 1.0));

        ExecutionDescription execution = scenarios.finishedExecutionOf(bad);

        deckhand.cloud().faults().clear();
        assertThat(execution.error()).isEqualTo("Deckhand.RollbackFailed");
        LoopbackGitHub.Request issue = requests().get(requests().size() - 1);
        assertThat(issue.path()).isEqualTo("/repos/acme/storefront/issues");
        assertThat(issue.authorized()).isTrue();
        assertThat(issue.body().path("title").asText()).isEqualTo("Deckhand: rollback failed for storefront/dev");
        assertThat(issue.body().path("body").asText()).contains("ROLLBACK FAILED for storefront/dev")
                .contains("The service needs a person.");
        assertThat(requests().get(requests().size() - 2).body().path("state").asText()).isEqualTo("failure");
    }

    @Test
    void gitHubDownChangesNoOutcomeAndTheOtherChannelsStillReport() throws Exception {
        github.down(true);

        ExecutionDescription execution = deploy("main-" + COMMIT, ImageBehaviour.healthy());

        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(requests()).hasSize(1).allMatch(request -> request.path().endsWith("/deployments"));
        List<JsonNode> published = scenarios.published();
        assertThat(published.get(published.size() - 1).path("outcome").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void theTokenIsNeverInTheStateMachinesData() throws Exception {
        ExecutionDescription execution = deploy("main-" + COMMIT, ImageBehaviour.healthy());

        String history = deckhand.engine().getExecutionHistory(execution.executionArn()).toString();
        assertThat(history).contains(TOKEN_SECRET).doesNotContain(github.token());
        assertThat(deckhand.history().recent("storefront", "dev", 1).get(0).toString()).doesNotContain(github.token());
    }
}
