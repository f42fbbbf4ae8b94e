package dev.deckhand.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * push, promote, status, history, rerun, redrive and graph, run as a user runs them: the command
 * line in one place, a running local Deckhand in another, reached only through the endpoints and
 * credentials 'deckhand up' prints.
 */
class ClientCommandsIT {

    private static LocalDeckhand deckhand;

    @BeforeAll
    static void start() {
        deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).port(0).apiPort(0).start();
        // What eval "$(./deckhand up)" exports; the SDK's default chain reads these system properties too.
        System.setProperty("aws.accessKeyId", LocalDeckhand.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", LocalDeckhand.SECRET_ACCESS_KEY);
    }

    @AfterAll
    static void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        deckhand.close();
    }

    private static CommandLineRun deckhand(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint-url", deckhand.cloud().endpoint().toString(), "--region",
                deckhand.cloud().region(), "--api-url", deckhand.apiUrl().toString(), "--state-machine-arn",
                deckhand.stateMachineArn()));
        return CommandLineRun.of(all.toArray(String[]::new));
    }

    private static String first(String regex, String text) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("/%s/ in:%n%s", regex, text).isTrue();
        return matcher.group(1);
    }

    @Test
    void aUserDeploysRollsBackPromotesAndInspectsFromTheCommandLine(@TempDir Path directory) throws Exception {
        CommandLineRun pushed = deckhand("push", "acme/storefront:main-1");
        assertThat(pushed.exitCode()).as(pushed.err()).isZero();
        assertThat(pushed.out()).containsPattern("pushed acme/storefront:main-1 = sha256:[0-9a-f]{64} \\(healthy\\)")
                .contains("Start database migration").contains("Verify health")
                // Which tag and environment the execution served.
                .endsWith("SUCCEEDED (tag main-1 → storefront/dev)\n");
        String healthy = first("(arn:aws:states:\\S+:execution:\\S+)", pushed.out());

        CommandLineRun broken = deckhand("push", "acme/storefront:main-2", "--behaviour", "unhealthy");
        assertThat(broken.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        assertThat(broken.out()).contains("(unhealthy)").contains("x HealthCheckPendingException")
                .contains("Roll back to the last verified revision").containsPattern("ROLLED_BACK .*: RolledBack: HealthCheckFailedException: unhealthy after")
                // What it rolled back to: main-1's image, pinned by its digest.
                .contains("ROLLED_BACK (tag main-2 → storefront/dev), rolled back to "
                        + deckhand.ecr().resolve(deckhand.ecr().repositoryUri("acme/storefront") + ":main-1")
                        .orElseThrow().uri() + ": ");

        CommandLineRun newest = deckhand("history", "storefront", "dev", "--limit", "1");
        assertThat(newest.exitCode()).isZero();
        assertThat(newest.out()).contains("ROLLED_BACK").doesNotContain("main-1")
                .contains("more: ./deckhand history storefront dev --limit 1 --next-token ");
        CommandLineRun older = deckhand("history", "storefront", "dev", "--limit", "1", "--next-token",
                first("--next-token (\\S+)", newest.out()));
        assertThat(older.out()).contains("SUCCEEDED").contains("main-1").contains("push");
        String deploymentId = first("(storefront\\.dev\\.[0-9a-f]{16})", older.out());

        CommandLineRun status = deckhand("status", deploymentId);
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).startsWith(deploymentId + "  SUCCEEDED").contains("attempt 1  SUCCEEDED  push")
                .contains("timings").contains(healthy);

        CommandLineRun promoted = deckhand("promote", "storefront", "--from", "dev", "--to", "staging");
        assertThat(promoted.exitCode()).as(promoted.err()).isZero();
        assertThat(promoted.out()).containsPattern("202 Accepted: storefront\\.staging\\.[0-9a-f]{16} dev -> staging")
                .endsWith("SUCCEEDED (tag main-1 → storefront/staging)\n");
        // A promotion carries the tag the image was pushed with into the history.
        assertThat(deckhand("history", "storefront", "staging").out()).containsPattern("SUCCEEDED +promote +main-1");

        CommandLineRun rerun = deckhand("rerun", healthy);
        assertThat(rerun.exitCode()).isZero();
        assertThat(rerun.out()).contains("rerun of ").contains("(SUCCEEDED) with the same input").endsWith("DUPLICATE (tag main-1 → storefront/dev)\n");

        Path svg = directory.resolve("run.svg");
        CommandLineRun graph = deckhand("graph", healthy, "-o", svg.toString());
        assertThat(graph.exitCode()).isZero();
        assertThat(graph.out()).contains("wrote " + svg);
        assertThat(Files.readString(svg)).startsWith("<svg").contains("SUCCEEDED").contains("Verify health");

        CommandLineRun redrive = deckhand("redrive", healthy);
        assertThat(redrive.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        assertThat(redrive.err().lines()).singleElement().asString()
                .startsWith("deckhand: ExecutionNotRedrivable: ").endsWith("is SUCCEEDED and cannot be redriven");
    }

    @Test
    void redrivingARolledBackExecutionIsRefusedWithTheRerunThatWouldDeployAgain() {
        CommandLineRun broken = deckhand("push", "acme/storefront:main-6", "--behaviour", "unhealthy");
        assertThat(broken.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        String rolledBack = first("(arn:aws:states:\\S+:execution:\\S+)", broken.out());

        CommandLineRun redrive = deckhand("redrive", rolledBack);

        assertThat(redrive.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        assertThat(redrive.err()).contains("ended in the deployer's Fail state (Deckhand.")
                .contains("hint: to deploy the same input again: ./deckhand rerun " + rolledBack);
        assertThat(deckhand.engine().describeExecution(rolledBack).redriveCount()).isZero();
    }

    @Test
    void aRefusedPromotionIsTheApisReasonOnOneLine() {
        CommandLineRun refused = deckhand("promote", "storefront", "--from", "dev", "--to", "prod");

        assertThat(refused.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        assertThat(refused.err()).isEqualTo("deckhand: the API refused (HTTP 409): storefront/prod is promoted from "
                + "staging, not from dev\n");
    }

    @Test
    void historyAndStatusRefuseAnUnknownServiceOrEnvironmentWithTheNearestName() {
        CommandLineRun history = deckhand("history", "storefrnt", "dev");
        assertThat(history.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        assertThat(history.out()).isEmpty();
        assertThat(history.err()).isEqualTo("deckhand: the API refused (HTTP 404): unknown service 'storefrnt'; did you "
                + "mean 'storefront'? (configured: storefront, billing-worker)\n");

        CommandLineRun environment = deckhand("history", "storefront", "prd");
        assertThat(environment.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        assertThat(environment.err()).contains("service storefront has no environment 'prd'; did you mean 'prod'?");

        CommandLineRun status = deckhand("status", "storefront.qa.0123456789abcdef");
        assertThat(status.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        assertThat(status.err()).contains("service storefront has no environment 'qa'");
    }

    @Test
    void aMistypedCommandOrOptionGetsTheNearestOne() {
        CommandLineRun command = CommandLineRun.of("histroy", "storefront", "dev");
        assertThat(command.exitCode()).isEqualTo(DeckhandCommand.EXIT_USAGE);
        assertThat(command.err()).contains("hint: did you mean 'history'?");

        CommandLineRun behaviour = deckhand("push", "acme/storefront:main-5", "--behavior", "unhealthy");
        assertThat(behaviour.exitCode()).isEqualTo(DeckhandCommand.EXIT_USAGE);
        assertThat(behaviour.err()).startsWith("deckhand: Unknown options: '--behavior'").contains("did you mean '--behaviour'?");

        CommandLineRun from = deckhand("promote", "storefront", "--form", "dev", "--to", "staging");
        assertThat(from.exitCode()).isEqualTo(DeckhandCommand.EXIT_USAGE);
        assertThat(from.err()).contains("hint: unknown option '--form'; did you mean '--from'?");
    }

    @Test
    void mistakesAreOneLineWithAHint() {
        CommandLineRun noTag = deckhand("push", "acme/storefront");
        assertThat(noTag.exitCode()).isEqualTo(DeckhandCommand.EXIT_USAGE);
        assertThat(noTag.err()).startsWith("deckhand: 'acme/storefront' names no tag\nhint: ");

        CommandLineRun behaviour = deckhand("push", "acme/storefront:x", "--behaviour", "sparkly");
        assertThat(behaviour.err()).startsWith("deckhand: Unknown image behaviour 'sparkly'; expected one of:");

        CommandLineRun repository = deckhand("push", "acme/nothing:v1");
        assertThat(repository.err()).startsWith("deckhand: the local ECR has no repository 'acme/nothing'\nhint: ");

        CommandLineRun noApi = CommandLineRun.of("status", "storefront.dev.0123456789abcdef", "--api-url", "");
        assertThat(noApi.exitCode()).isEqualTo(DeckhandCommand.EXIT_USAGE);
        assertThat(noApi.err()).startsWith("deckhand: DECKHAND_API_URL is not set: where is Deckhand's API?\n"
                + "hint: start './deckhand up' in another terminal");

        CommandLineRun unreachable = CommandLineRun.of("rerun", "arn:aws:states:us-east-1:123456789012:execution:x:y",
                "--endpoint-url", "http://127.0.0.1:1", "--region", "us-east-1");
        assertThat(unreachable.exitCode()).isEqualTo(DeckhandCommand.EXIT_USAGE);
        assertThat(unreachable.err()).startsWith("deckhand: cannot reach AWS: ").contains("hint: is './deckhand up' running")
                .doesNotContain("\tat ");
    }
}
