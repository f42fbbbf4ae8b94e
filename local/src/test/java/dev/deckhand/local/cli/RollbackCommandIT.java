package dev.deckhand.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.Eventually;
import dev.deckhand.local.api.SignedApiClient;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.statemachine.clock.EngineClock;
import dev.deckhand.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;

/**
 * {@code deckhand rollback} against a running local Deckhand, through the signed API route
 * {@code POST /services/{service}/environments/{env}/rollbacks} and the deployer state machine.
 * storefront/dev has a migration and a health check, so "migration skipped" and "health verified"
 * are both visible in the execution.
 */
class RollbackCommandIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String DEVELOPER = "AKIDDEVELOPER";
    private static final String DEVELOPER_SECRET = "developer-secret";

    private LocalDeckhand deckhand;

    @BeforeEach
    void start() {
        // DEVELOPER's identity policy allows rolling back dev only (API Gateway developer guide, "IAM policy
        // examples for API execution permissions": execute-api:Invoke on .../POST/services/storefront/environments/dev/rollbacks).
        deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).port(0).apiPort(0)
                .apiCaller(DEVELOPER, DEVELOPER_SECRET, "000000000000",
                        List.of("POST/services/storefront/environments/dev/rollbacks"))
                .start();
        System.setProperty("aws.accessKeyId", LocalDeckhand.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", LocalDeckhand.SECRET_ACCESS_KEY);
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        deckhand.close();
    }

    @Test
    void rollsBackToThePreviousVerifiedImageThroughTheDeployerSkippingTheMigration() {
        String first = pushed("main-1", "healthy");
        pushed("main-2", "healthy");
        List<String> before = executionArns();

        CommandLineRun rollback = deckhand("rollback", "storefront", "dev");

        assertThat(rollback.exitCode()).as(rollback.err()).isZero();
        assertThat(rollback.out()).containsPattern("202 Accepted: rollback storefront\\.dev\\.[0-9a-f]{16} of "
                        + "storefront/dev to " + first.replace(".", "\\."))
                .contains("Claim the deployment and take the lock").contains("Verify health")
                .doesNotContain("Start database migration")
                .endsWith("SUCCEEDED (tag main-1 → storefront/dev)\n");
        assertThat(servingImage()).isEqualTo(first);
        AttemptRecord recorded = deckhand.history().recent("storefront", "dev", 1).get(0);
        assertThat(recorded.trigger()).isEqualTo("rollback");
        assertThat(recorded.image()).isEqualTo(first);
        assertThat(recorded.requestedBy()).isEqualTo("arn:aws:iam::" + deckhand.cloud().account() + ":user/deckhand");
        assertThat(deckhand.history().lastVerified("storefront", "dev").orElseThrow().image()).isEqualTo(first);
        JsonNode notified = lastNotification();
        assertThat(notified.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(notified.path("trigger").asText()).isEqualTo("rollback");
        assertThat(executionArns()).hasSize(before.size() + 1);
    }

    @Test
    void rollsBackToANamedVerifiedDigestOrDeployment() {
        String first = pushed("main-1", "healthy");
        String second = pushed("main-2", "healthy");
        pushed("main-3", "healthy");

        CommandLineRun byDigest = deckhand("rollback", "storefront", "dev", "--to", digestOf(first));
        assertThat(byDigest.exitCode()).as(byDigest.err()).isZero();
        assertThat(servingImage()).isEqualTo(first);

        String secondId = "storefront.dev." + digestOf(second).substring("sha256:".length(), "sha256:".length() + 16);
        CommandLineRun byId = deckhand("rollback", "storefront", "dev", "--to", secondId);
        assertThat(byId.exitCode()).as(byId.err()).isZero();
        assertThat(byId.out()).contains("202 Accepted: rollback " + secondId + " of storefront/dev to " + second);
        assertThat(servingImage()).isEqualTo(second);
    }

    @Test
    void refusesAnImageNeverVerifiedInThatEnvironmentWithOneLineAndChangesNothing() throws Exception {
        String good = pushed("main-1", "healthy");
        CommandLineRun broken = deckhand("push", "acme/storefront:main-2", "--behaviour", "unhealthy");
        assertThat(broken.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        String unverified = digestOf(deckhand.ecr().resolve(deckhand.ecr().repositoryUri("acme/storefront") + ":main-2")
                .orElseThrow().uri());
        List<String> before = executionArns();

        CommandLineRun refused = deckhand("rollback", "storefront", "dev", "--to", unverified);

        assertThat(refused.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        assertThat(refused.err()).isEqualTo("deckhand: the API refused (HTTP 409): " + unverified + " was never "
                + "verified in storefront/dev; a rollback returns only to a deployment that succeeded there\n");
        assertThat(executionArns()).isEqualTo(before);
        assertThat(servingImage()).isEqualTo(good);

        // resolve-env decides again, so an execution started by hand with the same request is refused too.
        String execution = deckhand.startExecution("{\"rollback\": {\"service\": \"storefront\", \"environment\": "
                + "\"dev\", \"to\": \"" + unverified + "\"}}");
        ExecutionDescription ended = deckhand.awaitCompletion(execution, TIMEOUT);
        assertThat(ended.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(ended.error()).isEqualTo("dev.deckhand.errors.RollbackRefusedException");
        assertThat(ended.cause()).contains(unverified + " was never verified in storefront/dev");
        assertThat(servingImage()).isEqualTo(good);
    }

    @Test
    void waitsForTheEnvironmentsLockHeldByARunningDeployment() throws Exception {
        String oldest = pushed("main-0", "healthy");
        pushed("main-1", "healthy");
        EngineClock clock = deckhand.clock();
        String running;
        String rollback;
        // Simulated time stands still while an activity is open. main-2 takes the lock and waits 10 s for
        // its migration; one simulated second later (so the rollback is asked for after the push, as
        // "newest" is decided by when each was requested) time is held again and the rollback asked for.
        EngineClock.Activity pushing = clock.beginActivity();
        AtomicReference<EngineClock.Activity> asking = new AtomicReference<>();
        try {
            EcrImage newer = deckhand.push("acme/storefront", List.of("main-2"), ImageBehaviour.healthy());
            running = Eventually.value(TIMEOUT, () -> "main-2's deployment waiting for its migration", () ->
                    deckhand.executions().stream().filter(execution -> execution.status() == ExecutionStatus.RUNNING)
                            .map(ExecutionDescription::executionArn)
                            .filter(arn -> statesEntered(arn).contains("Start database migration")).findFirst());
            assertThat(newer.uri()).isNotEqualTo(oldest);
            clock.schedule(clock.now().plusSeconds(1), () -> asking.set(clock.beginActivity()));
        } finally {
            pushing.close();
        }
        try {
            Eventually.until(TIMEOUT, () -> "simulated time one second on", () -> asking.get() != null);
            assertThat(statesEntered(running)).doesNotContain("Check the migration");
            CommandLineRun asked = deckhand("rollback", "storefront", "dev", "--to", digestOf(oldest), "--no-follow");
            assertThat(asked.exitCode()).as(asked.err()).isZero();
            rollback = Eventually.value(TIMEOUT, () -> "the rollback waiting for the lock", () ->
                    deckhand.executions().stream().filter(execution -> execution.status() == ExecutionStatus.RUNNING)
                            .map(ExecutionDescription::executionArn)
                            .filter(arn -> statesEntered(arn).contains("Wait for the running deployment")).findFirst());
            assertThat(statesEntered(rollback)).doesNotContain("Prepare the release");
        } finally {
            if (asking.get() != null) {
                asking.get().close();
            }
        }

        assertThat(deckhand.awaitCompletion(running, TIMEOUT).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(deckhand.awaitCompletion(rollback, TIMEOUT).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(servingImage()).isEqualTo(oldest);
        AttemptRecord last = deckhand.history().recent("storefront", "dev", 1).get(0);
        assertThat(last.executionArn()).isEqualTo(rollback);
        assertThat(last.trigger()).isEqualTo("rollback");
    }

    @Test
    void theApiAuthorizesARollbackPerEnvironment() throws Exception {
        String first = pushed("main-1", "healthy");
        pushed("main-2", "healthy");
        SignedApiClient developer = new SignedApiClient(deckhand.apiUrl(), Region.of(deckhand.cloud().region()),
                AwsBasicCredentials.create(DEVELOPER, DEVELOPER_SECRET));
        List<String> before = executionArns();

        SignedApiClient.Answer prod = developer.post("/services/storefront/environments/prod/rollbacks", "{}");

        assertThat(prod.status()).isEqualTo(403);
        assertThat(DeckhandJson.MAPPER.readTree(prod.body()).path("message").asText()).isEqualTo("User: "
                + "arn:aws:iam::000000000000:user/AKIDDEVELOPER is not authorized to perform: execute-api:Invoke on "
                + "resource: POST/services/storefront/environments/prod/rollbacks");
        assertThat(executionArns()).isEqualTo(before);

        SignedApiClient.Answer dev = developer.post("/services/storefront/environments/dev/rollbacks", "{}");
        assertThat(dev.status()).as(dev.body()).isEqualTo(202);
        String execution = DeckhandJson.MAPPER.readTree(dev.body()).path("executionArn").asText();
        assertThat(deckhand.awaitCompletion(execution, TIMEOUT).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(servingImage()).isEqualTo(first);
        assertThat(deckhand.history().recent("storefront", "dev", 1).get(0).requestedBy())
                .isEqualTo("arn:aws:iam::000000000000:user/" + DEVELOPER);
    }

    private CommandLineRun deckhand(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint-url", deckhand.cloud().endpoint().toString(), "--region",
                deckhand.cloud().region(), "--api-url", deckhand.apiUrl().toString(), "--state-machine-arn",
                deckhand.stateMachineArn()));
        return CommandLineRun.of(all.toArray(String[]::new));
    }

    /** Pushes through the command line, which follows the deployment; returns the image pinned by digest. */
    private String pushed(String tag, String behaviour) {
        CommandLineRun push = deckhand("push", "acme/storefront:" + tag, "--behaviour", behaviour);
        assertThat(push.exitCode()).as(push.out() + push.err()).isZero();
        return deckhand.ecr().resolve(deckhand.ecr().repositoryUri("acme/storefront") + ":" + tag).orElseThrow().uri();
    }

    private static String digestOf(String uri) {
        return uri.substring(uri.indexOf('@') + 1);
    }

    private String servingImage() {
        var ecs = deckhand.sdk().ecs();
        String taskDefinition = ecs.describeServices(request -> request.cluster("acme-dev").services("storefront-dev"))
                .services().get(0).taskDefinition();
        return ecs.describeTaskDefinition(request -> request.taskDefinition(taskDefinition)).taskDefinition()
                .containerDefinitions().stream().filter(container -> container.name().equals("web")).findFirst()
                .orElseThrow().image();
    }

    private List<String> executionArns() {
        return deckhand.executions().stream().map(ExecutionDescription::executionArn).toList();
    }

    private List<String> statesEntered(String executionArn) {
        return deckhand.engine().getExecutionHistory(executionArn).stream()
                .filter(event -> event.type().endsWith("StateEntered")).map(HistoryEvent::stateName)
                .filter(Objects::nonNull).toList();
    }

    private JsonNode lastNotification() {
        var messages = deckhand.cloud().topics().messages(deckhand.topicArn());
        try {
            return DeckhandJson.MAPPER.readTree(messages.get(messages.size() - 1).message());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
