package dev.deckhand.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job, through the command-line entry point. */
class DemoCommandIT {

    @Test
    void withNoIamTheDemoSaysThatNothingIsAuthorized(@TempDir Path graphs) {
        CommandLineRun run = CommandLineRun.of("demo", "--no-iam", "--config", Fixtures.path("deckhand.yml").toString(),
                "--graphs", graphs.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("IAM NOT enforced (--no-iam): every function may call anything.")
                .contains("IAM: not enforced (--no-iam)").doesNotContain("calls authorized");
    }

    @Test
    void theDemoDeploysRollsBackAndPromotesAsExpected(@TempDir Path graphs) throws Exception {
        CommandLineRun run = CommandLineRun.of("demo", "--config", Fixtures.path("deckhand.yml").toString(),
                "--graphs", graphs.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .containsPattern("\\[1/6] Push acme/storefront:main-1.*\\n(.*\\n)*?\\s+OK SUCCEEDED")
                .containsPattern("\\[2/6] Push acme/storefront:main-2.*\\n(.*\\n)*?\\s+OK ROLLED_BACK")
                .containsPattern("\\[3/6] Promote .* to staging.*\\n(.*\\n)*?\\s+OK SUCCEEDED")
                .containsPattern("\\[4/6] Promote .* to prod.*\\n(.*\\n)*?\\s+OK SUCCEEDED")
                .containsPattern("\\[5/6] Push acme/storefront:canary-1 .*CANARY.*\\n(.*\\n)*?\\s+OK SUCCEEDED")
                .containsPattern("\\[6/6] Push acme/storefront:canary-2.*\\n(.*\\n)*?\\s+OK ROLLED_BACK")
                // ECS shifted traffic back on Deckhand's hook answer (lambda-lifecycle-hooks: FAILED rolls back).
                // canary-2 regresses only under production traffic: healthy at test traffic, failed at the 10 % step.
                .containsPattern("ECS rolled it back on Deckhand's lifecycle hook during the canary step \\(10 % of "
                        + "production traffic on the new revision, PRODUCTION_TRAFFIC_SHIFT\\): ECS rolled canary deployment "
                        + "\\S+ back to the previous revision \\(service deployment ROLLBACK_SUCCESSFUL.*returned FAILED")
                .contains("HealthCheckFailedException: unhealthy after 8 rounds")
                .contains("Roll back to the last verified revision")
                .containsPattern("202 Accepted: storefront\\.staging\\.[0-9a-f]{16}")
                .containsPattern("202 Accepted: storefront\\.prod\\.[0-9a-f]{16}")
                .contains("Slack (local webhook) received: :white_check_mark: Deployed")
                .contains("Every deployment ended as expected.")
                .contains("prod lives in account 222233334444: deploy, migration and rollback act there as "
                        + "arn:aws:iam::222233334444:role/deckhand-deploy (STS AssumeRole).")
                .contains("IAM enforced: each function may call only what its synthesized role allows.")
                .containsPattern("\\nIAM: [1-9][0-9]+ calls authorized, 0 denied \\(policies of the synthesized roles\\)\\n")
                // Every request the demo's deployments made, Deckhand's hand-written JSON included, names
                // only members the SDK's models of those operations define.
                .contains("Requests: every member sent is one the SDK's models define.")
                // The webhook URL is a secret: the demo shows the message, never where it went.
                .doesNotContain("/services/");

        List<Path> written;
        try (Stream<Path> files = Files.list(graphs)) {
            written = files.sorted().toList();
        }
        assertThat(written).hasSize(6).allSatisfy(file -> assertThat(file.getFileName().toString())
                .matches("[1-6]-storefront\\.(dev|staging|prod|canary)\\.[0-9a-f]{16}\\.svg"));
        String rolledBack = Files.readString(written.get(1));
        assertThat(rolledBack).startsWith("<svg").contains("ROLLED_BACK") // the title names the outcome
                .contains("Roll back to the last verified revision");
        assertThat(Files.readString(written.get(5))).startsWith("<svg").contains("ROLLED_BACK");
        assertThat(run.out()).contains("Execution graphs (open in a browser): " + graphs);
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
