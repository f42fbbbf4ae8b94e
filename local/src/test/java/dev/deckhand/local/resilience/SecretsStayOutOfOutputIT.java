package dev.deckhand.local.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.Eventually;
import dev.deckhand.local.api.SignedApiClient;
import dev.deckhand.local.demo.DemoScenario;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.testing.Fixtures;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The Slack webhook URL is a secret (Slack: "keep it secret"; its path is the credential). Deckhand
 * reads it from Secrets Manager only to send; it must appear in no log line, no standard output or
 * error, and nothing Deckhand publishes or stores: SNS messages, EventBridge events (including
 * Step Functions' status changes, which carry execution input and output), rule deliveries,
 * execution input, output and history, history and lock items, metrics.
 */
class SecretsStayOutOfOutputIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String SECRET_PATH = "/services/T0SECRET0/B0SECRET0/xoxSecretToken0123456789";

    @Test
    void theDemoShowsTheSlackMessageButNeverTheWebhookUrl(@TempDir Path graphs) throws Exception {
        StringWriter shown = new StringWriter();
        List<DemoScenario.StepResult> results;
        String captured;
        int logEvents;
        try (CapturedOutput output = new CapturedOutput()) {
            results = new DemoScenario(Fixtures.sampleConfiguration(), new PrintWriter(shown, true), graphs).run();
            captured = output.text();
            logEvents = output.log4jEvents();
        }

        assertThat(results).allMatch(DemoScenario.StepResult::asExpected);
        assertThat(shown.toString()).contains("Slack (local webhook) received: :white_check_mark: Deployed");
        // resolve-env and notify log each deployment: the capture saw the handlers' logs.
        assertThat(logEvents).as("handler log events captured").isGreaterThanOrEqualTo(2 * results.size());
        assertThat(captured).contains("Deploying ").contains("to storefront/prod");
        // The demo's receiver has a random secret path /services/<uuid>, like a real webhook's.
        Pattern webhookPath = Pattern.compile("/services/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(webhookPath.matcher(shown.toString()).find()).as("webhook path in what the demo showed").isFalse();
        assertThat(webhookPath.matcher(captured).find()).as("webhook path in stdout, stderr or logs").isFalse();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(graphs)) {
            for (Path graph : files.toList()) {
                assertThat(webhookPath.matcher(java.nio.file.Files.readString(graph)).find())
                        .as("webhook path in the execution graph %s", graph.getFileName()).isFalse();
            }
        }
        System.out.printf("secrets, demo: %d steps, %d log events and %d characters of output checked: the webhook "
                + "path appears 0 times%n", results.size(), logEvents, shown.toString().length() + captured.length());
    }

    @Test
    void theWebhookUrlAppearsInNoLogNotificationEventOrHistoryItem() throws Exception {
        DeckhandConfiguration configuration = Fixtures.sampleConfiguration();
        String secretName = configuration.service("storefront").orElseThrow().environment("prod").orElseThrow()
                .notifications().slackWebhookSecret();
        List<String> slack = new CopyOnWriteArrayList<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext(SECRET_PATH, exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                slack.add(DeckhandJson.MAPPER.readTree(body).path("text").asText());
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        String secretUrl = "http://127.0.0.1:" + webhook.getAddress().getPort() + SECRET_PATH;
        List<String> places = new ArrayList<>();
        try (CapturedOutput output = new CapturedOutput();
             LocalDeckhand deckhand = LocalDeckhand.builder(configuration).start()) {
            deckhand.cloud().secrets().put(secretName, secretUrl);

            // The demo's four deployments: push v1, push a broken v2, promote to staging, then to prod.
            List<String> outcomes = new ArrayList<>();
            outcomes.add(pushed(deckhand, deckhand.push("acme/storefront", List.of("main-1"), ImageBehaviour.healthy())));
            outcomes.add(pushed(deckhand, deckhand.push("acme/storefront", List.of("main-2"), ImageBehaviour.unhealthy())));
            SignedApiClient api = new SignedApiClient(deckhand.apiUrl(), Region.of(deckhand.cloud().region()),
                    AwsBasicCredentials.create(LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY));
            outcomes.add(promoted(deckhand, api, "dev", "staging"));
            outcomes.add(promoted(deckhand, api, "staging", "prod"));
            assertThat(outcomes).containsExactly("SUCCEEDED", "Deckhand.RolledBack", "SUCCEEDED", "SUCCEEDED");
            awaitStatusChangesDelivered(deckhand);

            assertThat(slack).as("Slack messages through the secret webhook").hasSize(1)
                    .allSatisfy(message -> assertThat(message).startsWith(":white_check_mark: Deployed"));
            places.add("SNS " + deckhand.cloud().topics().messages(deckhand.topicArn()));
            places.add("EventBridge events " + deckhand.cloud().events().events());
            places.add("rule deliveries " + deckhand.cloud().events().deliveries());
            for (ExecutionDescription execution : deckhand.executions()) {
                places.add("execution " + execution);
                places.add("execution history " + deckhand.engine().getExecutionHistory(execution.executionArn()));
            }
            places.add("history items " + items(deckhand, LocalDeckhand.HISTORY_TABLE));
            places.add("lock items " + items(deckhand, LocalDeckhand.LOCKS_TABLE));
            places.add("metrics " + deckhand.metrics());
            assertThat(String.join("\n", places)).contains("SUCCEEDED", "ROLLED_BACK", "Deckhand Deployment Outcome");
            places.add("stdout, stderr and logs " + output.text());
            assertThat(output.log4jEvents()).as("handler log events captured").isGreaterThanOrEqualTo(8);
            assertThat(output.text()).contains("Deploying ").contains("to storefront/prod");
        } finally {
            webhook.stop(0);
        }

        List<String> leaks = places.stream().filter(place -> place.contains(SECRET_PATH) || place.contains("xoxSecretToken"))
                .map(place -> place.substring(0, Math.min(80, place.length()))).toList();
        System.out.printf("secrets, demo replayed: %d places (%d characters) checked for the webhook URL: %d leaks%n",
                places.size(), places.stream().mapToInt(String::length).sum(), leaks.size());
        assertThat(leaks).as("places that show the webhook URL").isEmpty();
    }

    private static String pushed(LocalDeckhand deckhand, EcrImage image) throws InterruptedException {
        return end(deckhand, deckhand.executionStartedBy(image, TIMEOUT));
    }

    private static String promoted(LocalDeckhand deckhand, SignedApiClient api, String from, String to) throws Exception {
        SignedApiClient.Answer answer = api.post("/promotions",
                "{\"service\":\"storefront\",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        JsonNode accepted = DeckhandJson.MAPPER.readTree(answer.body());
        return end(deckhand, accepted.path("executionArn").asText());
    }

    private static String end(LocalDeckhand deckhand, String executionArn) throws InterruptedException {
        ExecutionDescription end = deckhand.awaitCompletion(executionArn, TIMEOUT);
        return end.error() != null ? end.error() : end.status().name();
    }

    /** The rolled-back execution's status change reaches the lock cleanup after it ends. */
    private static void awaitStatusChangesDelivered(LocalDeckhand deckhand) throws InterruptedException {
        Eventually.until(TIMEOUT, () -> "the rollback's status change delivered", () -> deckhand.cloud().events()
                .deliveries().stream().anyMatch(delivery -> delivery.ruleName().equals(LocalDeckhand.DEAD_EXECUTION_RULE)));
    }

    private static List<Map<String, AttributeValue>> items(LocalDeckhand deckhand, String table) {
        return deckhand.sdk().dynamo().scanPaginator(request -> request.tableName(table)).items().stream().toList();
    }
}
