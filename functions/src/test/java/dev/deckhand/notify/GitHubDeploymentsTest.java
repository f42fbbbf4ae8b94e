package dev.deckhand.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.deployment.Outcome;
import org.junit.jupiter.api.Test;

class GitHubDeploymentsTest {

    @Test
    void theRefIsTheCommitATagCarriesOtherwiseTheTag() {
        assertThat(GitHubDeployments.ref("3f2a9c1")).contains("3f2a9c1");
        assertThat(GitHubDeployments.ref("main-3f2a9c1d0e")).contains("3f2a9c1d0e");
        assertThat(GitHubDeployments.ref("sha_" + "a".repeat(40))).contains("a".repeat(40));
        // Not hex, too short, or upper case: a branch or tag name GitHub resolves itself.
        assertThat(GitHubDeployments.ref("v1.2.3")).contains("v1.2.3");
        assertThat(GitHubDeployments.ref("main-3f2a9c")).contains("main-3f2a9c");
        assertThat(GitHubDeployments.ref("release-ABCDEF1")).contains("release-ABCDEF1");
        assertThat(GitHubDeployments.ref(null)).isEmpty();
    }

    @Test
    void eachOutcomeEndsTheDeploymentWithItsStatusAndOnlyAFailedRollbackOpensAnIssue() {
        // "Deployment statuses", state: error, failure, inactive, in_progress, queued, pending, success.
        assertThat(GitHubDeployments.finalState(Outcome.SUCCEEDED)).contains("success");
        assertThat(GitHubDeployments.finalState(Outcome.FAILED)).contains("failure");
        assertThat(GitHubDeployments.finalState(Outcome.ROLLED_BACK)).contains("failure");
        assertThat(GitHubDeployments.finalState(Outcome.ROLLBACK_FAILED)).contains("failure");
        assertThat(GitHubDeployments.finalState(Outcome.SUPERSEDED)).contains("inactive");
        assertThat(GitHubDeployments.finalState(Outcome.IGNORED)).isEmpty();
        assertThat(GitHubDeployments.finalState(Outcome.DUPLICATE)).isEmpty();
        assertThat(GitHubDeployments.opensIssue(Outcome.ROLLBACK_FAILED)).isTrue();
        assertThat(GitHubDeployments.opensIssue(Outcome.ROLLED_BACK)).isFalse();
    }

    @Test
    void theDescriptionFitsGitHubsHundredAndFortyCharacters() {
        String description = GitHubDeployments.description("Rolled back\n" + "x".repeat(300));

        assertThat(description).hasSize(140).startsWith("Rolled back x").endsWith("…");
        assertThat(GitHubDeployments.description("short")).isEqualTo("short");
    }
}
