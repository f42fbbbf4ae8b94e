package dev.deckhand.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job, through the command-line entry point. */
class DemoCommandTest {

    @Test
    void theDemoDeploysRollsBackAndPromotesAsExpected() {
        CommandLineRun run = CommandLineRun.of("demo", "--config", Fixtures.path("deckhand.yml").toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .containsPattern("\\[1/4] Push acme/storefront:main-1.*\\n(.*\\n)*?\\s+OK SUCCEEDED")
                .containsPattern("\\[2/4] Push acme/storefront:main-2.*\\n(.*\\n)*?\\s+OK ROLLED_BACK")
                .containsPattern("\\[3/4] Promote .* to staging.*\\n(.*\\n)*?\\s+OK SUCCEEDED")
                .containsPattern("\\[4/4] Promote .* to prod.*\\n(.*\\n)*?\\s+OK SUCCEEDED")
                .contains("HealthCheckFailedException: unhealthy after 8 rounds")
                .contains("Roll back to the last verified revision")
                .containsPattern("202 Accepted: storefront\\.staging\\.[0-9a-f]{16}")
                .containsPattern("202 Accepted: storefront\\.prod\\.[0-9a-f]{16}")
                .contains("Slack (local webhook) received: :white_check_mark: Deployed")
                .contains("Every deployment ended as expected.")
                // The webhook URL is a secret: the demo shows the message, never where it went.
                .doesNotContain("/services/");
    }

    @Test
    void aConfigurationWithoutTheSampleServiceIsRefusedWithAHint(@TempDir Path directory) throws Exception {
        Path other = directory.resolve("deckhand.yml");
        Files.writeString(other, """
                version: 1
                services:
                  api:
                    repository: acme/api
                    environments:
                      dev: {cluster: dev, service: api-dev, deployOnPush: ["*"]}
                """);

        CommandLineRun run = CommandLineRun.of("demo", "--config", other.toString());

        assertThat(run.exitCode()).isEqualTo(DeckhandCommand.EXIT_USAGE);
        assertThat(run.err()).contains("the demo deploys the sample service 'storefront'").contains("hint:");
    }
}
