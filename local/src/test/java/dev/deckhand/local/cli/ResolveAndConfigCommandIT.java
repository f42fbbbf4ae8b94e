package dev.deckhand.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolveAndConfigCommandIT {

    private static final String CONFIG = Fixtures.path("deckhand.yml").toString();

    @Test
    void resolvePrintsTheDecisionAsJson() throws Exception {
        CommandLineRun run = CommandLineRun.of("resolve", Fixtures.path("events/ecr/push-dev-feature.json").toString(),
                "--config", CONFIG);

        assertThat(run.exitCode()).isZero();
        JsonNode decision = DeckhandJson.MAPPER.readTree(run.out());
        assertThat(decision.path("outcome").asText()).isEqualTo("DEPLOY");
        assertThat(decision.path("environment").asText()).isEqualTo("dev");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void resolvePrintsAnIgnoredDecisionWithItsReason() throws Exception {
        CommandLineRun run = CommandLineRun.of("resolve", Fixtures.path("events/ecr/delete.json").toString(),
                "-c", CONFIG);

        assertThat(run.exitCode()).isZero();
        assertThat(DeckhandJson.MAPPER.readTree(run.out()).path("outcome").asText()).isEqualTo("IGNORED");
    }

    @Test
    void resolveRejectsInvalidInputInOneLineAndExitsOne() {
        CommandLineRun run = CommandLineRun.of("resolve", Fixtures.path("events/invalid/bad-digest.json").toString(),
                "-c", CONFIG);

        assertThat(run.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("deckhand: InvalidInputException: detail.image-digest: 'sha256:not-a-digest' "
                + "is not an image digest (sha256: and 64 hex digits)" + System.lineSeparator());
    }

    @Test
    void resolveRefusesAPromotionTheConfigurationDoesNotAllow() {
        CommandLineRun run = CommandLineRun.of("resolve",
                Fixtures.path("events/promote/refused-dev-to-prod.json").toString(), "-c", CONFIG);

        assertThat(run.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        assertThat(run.err()).contains("PromotionRefusedException: environment 'prod' of service storefront is "
                + "promoted from 'staging', not from 'dev'");
    }

    @Test
    void aMissingFileIsAUsageErrorWithAHint() {
        CommandLineRun run = CommandLineRun.of("resolve", "no-such-event.json", "-c", CONFIG);

        assertThat(run.exitCode()).isEqualTo(DeckhandCommand.EXIT_USAGE);
        assertThat(run.err()).startsWith("deckhand: file not found: no-such-event.json")
                .contains("hint: sample inputs are in events/")
                .doesNotContain("Exception");
    }

    @Test
    void aMissingConfigurationSaysHowToNameOne() {
        CommandLineRun run = CommandLineRun.of("resolve", Fixtures.path("events/ecr/delete.json").toString(),
                "-c", "missing.yml");

        assertThat(run.exitCode()).isEqualTo(DeckhandCommand.EXIT_USAGE);
        assertThat(run.err()).contains("configuration file not found: missing.yml", "hint: pass --config <file>");
    }

    @Test
    void resolvingADirectoryPrintsOneDecisionPerFile() {
        CommandLineRun run = CommandLineRun.of("resolve", Fixtures.path("events").toString(), "-c", CONFIG);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).hasSize(36)
                .anySatisfy(line -> assertThat(line).matches(
                        "ecr/push-dev-feature\\.json +DEPLOY +storefront/dev +storefront\\.dev\\.[0-9a-f]{16} +\\(feature-checkout\\)"))
                .anySatisfy(line -> assertThat(line).matches("ecr/delete\\.json +IGNORED +ECR action DELETE .*"))
                .anySatisfy(line -> assertThat(line).matches(
                        "invalid/malformed\\.json +ERROR +InvalidInputException: input is not valid JSON.*"))
                .anySatisfy(line -> assertThat(line).matches(
                        "promote/refused-dev-to-prod\\.json +ERROR +PromotionRefusedException: .*"))
                .anySatisfy(line -> assertThat(line).matches("ecr/push-helm-chart\\.json +IGNORED +the push is a Helm "
                        + "chart \\(artifact-media-type 'application/vnd\\.cncf\\.helm\\.config\\.v1\\+json'\\), not a "
                        + "container image; only container images deploy"));
        // API Gateway events are the promote API's input, not resolve-env's: said so, not an ERROR.
        assertThat(run.out().lines().filter(line -> line.startsWith("api/"))).hasSize(3).allSatisfy(line ->
                assertThat(line).matches("api/[a-z-]+\\.json +API +(GET|POST) /\\S+: the promote API's input, not the "
                        + "deployer's \\(try \\./deckhand promote\\)"));
        assertThat(run.out()).endsWith("35 inputs resolved with " + CONFIG + System.lineSeparator());
    }

    @Test
    void configCheckSummarisesAValidFile() {
        CommandLineRun run = CommandLineRun.of("config", "check", CONFIG);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("is valid: 2 services, 5 environments")
                .contains("prod       acme-prod/storefront-prod  from acme/storefront  by promotion from staging")
                .doesNotContain("warning");
    }

    @Test
    void configCheckSaysInOneLineWhatToAddWhenAnEnvironmentNamesNoRole(@TempDir Path directory) throws Exception {
        Path withoutRoles = directory.resolve("deckhand.yml");
        Files.writeString(withoutRoles, Files.readString(Fixtures.path("deckhand.yml"))
                .replace("        executionRoleArn: arn:aws:iam::123456789012:role/billing-worker-execution  # no task role: it calls no AWS API\n", ""));

        CommandLineRun run = CommandLineRun.of("config", "check", withoutRoles.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines().filter(line -> line.startsWith("warning: ")).toList()).containsExactly(
                "warning: billing-worker/staging names no role, so Deckhand may pass any role of the account to ECS "
                        + "tasks; to allow only yours, add executionRoleArn: arn:aws:iam::<account>:role/<name> "
                        + "(and taskRoleArn, if its task definition has one)");
    }

    @Test
    void configCheckListsEveryProblemAndExitsOne(@TempDir Path directory) throws Exception {
        Path broken = directory.resolve("deckhand.yml");
        Files.writeString(broken, Files.readString(Fixtures.path("deckhand.yml"))
                .replace("promoteFrom: staging", "promoteFrom: stagin")
                .replace("cluster: acme-dev", "clustr: acme-dev"));

        CommandLineRun run = CommandLineRun.of("config", "check", broken.toString());

        assertThat(run.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        assertThat(run.out()).startsWith("3 problems in " + broken)
                .contains("services[storefront].environments[prod].promoteFrom: unknown environment 'stagin'")
                .contains("services[storefront].environments[dev].clustr: unknown field (did you mean 'cluster'?)")
                .contains("services[storefront].environments[dev].cluster: is required");
    }

    @Test
    void configCheckRefusesAMalformedFreezeWindowAndAnUnknownTimeZoneInOneLineEach(@TempDir Path directory)
            throws Exception {
        Path broken = directory.resolve("deckhand.yml");
        Files.writeString(broken, Files.readString(Fixtures.path("deckhand.yml")).replace(
                "promoteFrom: staging             # no deployOnPush: prod is reached only by promotion",
                "promoteFrom: staging\n        freeze:\n          - {from: \"FRI 16:00\", to: \"MONDAY 8\", timezone: UTC}\n"
                        + "          - {from: \"FRI 16:00\", to: \"MON 08:00\", timezone: Europe/Berlen}"));

        CommandLineRun run = CommandLineRun.of("config", "check", broken.toString());

        assertThat(run.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        assertThat(run.out()).startsWith("2 problems in " + broken)
                .contains("services[storefront].environments[prod].freeze[0].to: 'MONDAY 8' is not a day and a time "
                        + "such as 'FRI 16:00'")
                .contains("services[storefront].environments[prod].freeze[1].timezone: unknown time zone "
                        + "'Europe/Berlen' (an IANA name such as 'Europe/Berlin' or 'UTC')")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String[] args : new String[][] {{"--help"}, {"resolve", "--help"}, {"config", "--help"},
                {"config", "check", "--help"}}) {
            CommandLineRun run = CommandLineRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(run.out()).as(String.join(" ", args)).startsWith("Usage: deckhand");
        }
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CommandLineRun run = CommandLineRun.of("resolve", "event.json", "--frobnicate");

        assertThat(run.exitCode()).isEqualTo(DeckhandCommand.EXIT_USAGE);
        assertThat(run.err()).isEqualTo("deckhand: Unknown option: '--frobnicate'" + System.lineSeparator()
                + "hint: see 'deckhand resolve --help'" + System.lineSeparator());
    }
}
