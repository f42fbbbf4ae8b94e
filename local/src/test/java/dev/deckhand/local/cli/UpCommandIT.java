package dev.deckhand.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.local.Eventually;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import dev.deckhand.testing.Fixtures;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

class UpCommandIT {

    /** up starts DynamoDB Local and the whole deployer: seconds, more on a busy machine. */
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private static String exported(String output, String name) {
        return output.lines().filter(l -> l.startsWith("export " + name + "=")).findFirst()
                .map(l -> l.substring(("export " + name + "=").length())).orElseThrow();
    }

    @Test
    void printsTheEnvironmentServesUntilStoppedAndReleasesThePort() throws Exception {
        UpCommand up = new UpCommand();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(up).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));

        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> command.execute("--port", "0",
                "--api-port", "0", "--config", Fixtures.path("deckhand.yml").toString()));
        String printed = Eventually.poll(out::toString, s -> s.contains("DECKHAND_STATE_MACHINE_ARN"), STARTUP);
        URI endpoint = URI.create(exported(printed, "AWS_ENDPOINT_URL"));

        try (SsmClient ssm = SsmClient.builder().endpointOverride(endpoint)
                .region(Region.of(exported(printed, "AWS_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        exported(printed, "AWS_ACCESS_KEY_ID"), exported(printed, "AWS_SECRET_ACCESS_KEY"))))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            ssm.putParameter(r -> r.name("/up/works").value("yes").type(ParameterType.STRING));
            assertThat(ssm.getParameter(r -> r.name("/up/works")).parameter().value()).isEqualTo("yes");
        }
        up.stopAndWait();

        assertThat(exit.get()).isZero();
        assertThat(printed.lines()).allMatch(line -> line.matches("export [A-Z_]+=\\S+"));
        assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
        assertThat(err.toString()).contains("Local cloud ready on " + endpoint).contains("Local cloud stopped.")
                .contains("IAM enforced: each function may call only what its synthesized role allows;");
        assertThat(exported(printed, "DECKHAND_API_URL")).startsWith("http://127.0.0.1:");
        assertThat(exported(printed, "DECKHAND_STATE_MACHINE_ARN")).endsWith(":stateMachine:deckhand-deployer");
        assertThatThrownBy(() -> new Socket("127.0.0.1", endpoint.getPort()).close()).isInstanceOf(IOException.class);
    }

    @Test
    void runsOnTheWallClockSoADeploymentIsWokenByItsEventsAndTheClockNeverRunsAhead() throws Exception {
        UpCommand up = new UpCommand();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(up).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> command.execute("--port", "0",
                "--api-port", "0", "--config", Fixtures.path("deckhand.yml").toString()));
        Eventually.poll(out::toString, s -> s.contains("DECKHAND_STATE_MACHINE_ARN"), STARTUP);
        try {
            dev.deckhand.local.deployer.LocalDeckhand deckhand = up.running();
            java.time.Instant before = java.time.Instant.now();
            dev.deckhand.local.ecr.EcrImage image = deckhand.push("acme/storefront", java.util.List.of("feature-wall"),
                    dev.deckhand.local.ecr.ImageBehaviour.healthy());
            String execution = deckhand.executionStartedBy(image, java.time.Duration.ofSeconds(30));
            dev.deckhand.statemachine.ExecutionDescription done = deckhand.awaitCompletion(execution,
                    java.time.Duration.ofMinutes(3));
            java.time.Instant after = java.time.Instant.now();

            assertThat(done.status()).as(done.error() + ": " + done.cause())
                    .isEqualTo(dev.deckhand.statemachine.ExecutionStatus.SUCCEEDED);
            // Wall clock: the local clock is never ahead of it, and the execution ended within the real interval.
            assertThat(deckhand.clock().now()).isBeforeOrEqualTo(java.time.Instant.now());
            assertThat(done.stopDate()).isBetween(before, after);
            // Woken by events: no waiting state reached its heartbeat.
            assertThat(deckhand.engine().getExecutionHistory(execution))
                    .extracting(dev.deckhand.statemachine.HistoryEvent::type).doesNotContain("TaskTimedOut");
            assertThat(err.toString()).contains("on the wall clock");
        } finally {
            up.stopAndWait();
        }
        assertThat(exit.get()).isZero();
    }

    @Test
    void putsTheConfigurationWhereHandlersReadItAndTheSlackSecretOnAWebhookThatPrints() throws Exception {
        UpCommand up = new UpCommand();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(up).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> command.execute("--port", "0",
                "--api-port", "0", "--config", Fixtures.path("deckhand.yml").toString()));
        String printed = Eventually.poll(out::toString, s -> s.contains("DECKHAND_STATE_MACHINE_ARN"), STARTUP);
        URI endpoint = URI.create(exported(printed, "AWS_ENDPOINT_URL"));
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                exported(printed, "AWS_ACCESS_KEY_ID"), exported(printed, "AWS_SECRET_ACCESS_KEY")));
        Region region = Region.of(exported(printed, "AWS_REGION"));

        try (SsmClient ssm = SsmClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
             SecretsManagerClient secrets = SecretsManagerClient.builder().endpointOverride(endpoint).region(region)
                     .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
            // On AWS the CDK app writes deckhand.yml to /deckhand/<stack>/configuration (DECKHAND_CONFIG_PARAMETER).
            assertThat(ssm.getParameter(r -> r.name("/deckhand/Deckhand/configuration")).parameter().value())
                    .isEqualTo(Files.readString(Fixtures.path("deckhand.yml")));
            // The sample configuration's prod environment names this secret (slackWebhookSecret).
            URI webhook = URI.create(secrets.getSecretValue(r -> r.secretId("deckhand/slack/storefront-prod"))
                    .secretString());
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(webhook)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"storefront deployed to prod\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(webhook.getHost()).isEqualTo("127.0.0.1");
            assertThat(answer.statusCode()).isEqualTo(200);
            Eventually.poll(err::toString, s -> s.contains("Slack (local webhook) received: storefront deployed to prod"));
        } finally {
            up.stopAndWait();
        }
        assertThat(exit.get()).isZero();
        assertThat(err.toString()).contains("Configuration in SSM parameter /deckhand/Deckhand/configuration")
                // The webhook's URL is a secret (its random path): it is never printed.
                .doesNotContain("/services/");
    }

    @Test
    void aBusyPortIsOneClearLineAndANonZeroExit() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = new CommandLine(new UpCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                    .execute("--port", String.valueOf(taken.getLocalPort()), "--api-port", "0",
                            "--config", Fixtures.path("deckhand.yml").toString());

            assertThat(exit).isEqualTo(1);
            assertThat(out.toString()).isEmpty();
            assertThat(err.toString().lines()).singleElement().asString()
                    .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("--port");
        }
    }
}
