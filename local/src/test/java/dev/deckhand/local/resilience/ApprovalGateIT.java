package dev.deckhand.local.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.api.SignedApiClient;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.clock.EngineClock;
import dev.deckhand.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;

/**
 * The approval gate and soak time on the local cloud, through the signed API: prod needs a
 * person's approval ({@code approval: {required: true, ...}}) and images that soaked 60 min in
 * staging. A deployment waiting for approval holds prod's lock in "Wait for approval" (a task
 * token, answered with SendTaskSuccess: API_SendTaskSuccess; authorized on the state machine,
 * list_awsstepfunctions "SendTaskSuccess"). Every refused answer changes nothing: the execution
 * still waits, ECS still serves what it served.
 *
 * <p>Simulated time jumps to the next timer as soon as everything waits, so a test that answers
 * holds an activity of the clock while it does: otherwise the approval's timeout would come first.
 */
class ApprovalGateIT {

    private static final String ACCOUNT = "000000000000";
    private static final String REQUESTER = "AKIDRELEASEREQUESTER";
    private static final String APPROVER = "AKIDRELEASEAPPROVER";
    private static final String DEVELOPER = "AKIDDEVELOPER";
    private static final String OUTSIDER = "AKIDOUTSIDER";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static LocalDeckhand deckhand;
    private static ResilienceRuns runs;
    private static final List<EcrImage> STAGED = new ArrayList<>();

    @BeforeAll
    static void stageImages() throws Exception {
        DeckhandConfiguration configuration = ConfigurationLoader.parse(Fixtures.read("deckhand.yml").replace(
                "promoteFrom: staging             # no deployOnPush: prod is reached only by promotion",
                "promoteFrom: {environment: staging, soakMinutes: 60}\n"
                        + "        approval:\n"
                        + "          required: true\n"
                        + "          timeoutMinutes: 30\n"
                        + "          preventSelfApproval: true\n"
                        + "          approvers: [\"arn:aws:iam::" + ACCOUNT + ":user/AKIDRELEASE*\"]"),
                "deckhand.yml with an approval gate and a soak time on prod");
        deckhand = LocalDeckhand.builder(configuration)
                .apiCaller(REQUESTER, "requester-secret", ACCOUNT)
                .apiCaller(APPROVER, "approver-secret", ACCOUNT)
                .apiCaller(DEVELOPER, "developer-secret", ACCOUNT)
                .apiCaller(OUTSIDER, "outsider-secret", ACCOUNT, List.of("GET/*"))
                .start();
        assertThat(deckhand.cloud().account()).isEqualTo(ACCOUNT);
        runs = new ResilienceRuns(deckhand);
        for (int i = 1; i <= 3; i++) {
            EcrImage image = deckhand.push("acme/storefront", List.of("release-" + i), ImageBehaviour.healthy());
            assertThat(ResilienceRuns.result(runs.finishedExecutionOf(image))).isEqualTo("SUCCEEDED");
            STAGED.add(image);
        }
        runs.letTimePass(Duration.ofMinutes(61));
    }

    @AfterAll
    static void stop() {
        if (deckhand != null) {
            deckhand.close();
        }
    }

    @Test
    void anApprovalByAnotherApproverDeploysAfterEveryWrongAnswerWasRefusedWithNothingChanged() throws Exception {
        String prodBefore = prodImage();
        EngineClock.Activity hold = deckhand.clock().beginActivity();
        String executionArn;
        String id;
        try {
            SignedApiClient.Answer promoted = client(REQUESTER).post("/services/storefront/environments/prod/promotions",
                    "{\"from\":\"staging\",\"digest\":\"" + STAGED.get(0).digest() + "\"}");
            assertThat(promoted.status()).as(promoted.body()).isEqualTo(202);
            executionArn = json(promoted).path("executionArn").asText();
            id = json(promoted).path("deploymentId").asText();
            awaitWaitingForApproval(executionArn);
            String approval = "/deployments/" + id + "/approval";

            refused(client(OUTSIDER).post(approval, "{\"decision\":\"approve\"}"), executionArn, 403,
                    "User: arn:aws:iam::" + ACCOUNT + ":user/" + OUTSIDER + " is not authorized to perform: "
                            + "execute-api:Invoke on resource: POST" + approval);
            refused(client(DEVELOPER).post(approval, "{\"decision\":\"approve\"}"), executionArn, 403,
                    "arn:aws:iam::" + ACCOUNT + ":user/" + DEVELOPER + " is not among the approvers of storefront/prod");
            refused(client(REQUESTER).post(approval, "{\"decision\":\"approve\"}"), executionArn, 403,
                    "arn:aws:iam::" + ACCOUNT + ":user/" + REQUESTER + " asked for this deployment and may not "
                            + "approve it (preventSelfApproval); another approver must");
            refused(client(APPROVER).post(approval, "{\"decision\":"), executionArn, 400, "body: not valid JSON");
            refused(client(APPROVER).post(approval, "{\"decision\":\"maybe\"}"), executionArn, 400,
                    "body.decision: 'maybe' is neither 'approve' nor 'reject'");
            refused(client(APPROVER).post(approval, "{\"decision\":\"reject\"}"), executionArn, 400,
                    "body.comment: required when rejecting; say why for the history");
            refused(client(APPROVER).post(approval, "{\"decision\":\"approve\",\"by\":\"me\"}"), executionArn, 400,
                    "body.by: unknown field");
            String staging = STAGED.get(0).digest().substring("sha256:".length(), "sha256:".length() + 16);
            refused(client(APPROVER).post("/deployments/storefront.staging." + staging + "/approval",
                    "{\"decision\":\"approve\"}"), executionArn, 409, "storefront/staging deploys without approval");

            SignedApiClient.Answer approved = client(APPROVER).post(approval,
                    "{\"decision\":\"approve\",\"comment\":\"checked the migration\"}");
            assertThat(approved.status()).as(approved.body()).isEqualTo(202);
            assertThat(json(approved).path("by").asText()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/" + APPROVER);
        } finally {
            hold.close();
        }
        ExecutionDescription done = deckhand.awaitCompletion(executionArn, TIMEOUT);
        assertThat(ResilienceRuns.result(done)).isEqualTo("SUCCEEDED");
        assertThat(prodImage()).isNotEqualTo(prodBefore).isEqualTo(STAGED.get(0).uri());
        AttemptRecord attempt = runs.attemptOf("storefront", "prod", executionArn);
        assertThat(attempt.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(attempt.requestedBy()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/" + REQUESTER);
        assertThat(attempt.details().path("approval").path("decision").asText()).isEqualTo("APPROVED");
        assertThat(attempt.details().path("approval").path("by").asText())
                .isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/" + APPROVER);
        assertThat(attempt.details().path("approval").path("comment").asText()).isEqualTo("checked the migration");
        assertThat(runs.statesEntered(executionArn)).containsSubsequence("Prepare the release", "Ask for approval",
                "Wait for approval", "Approved?", "Start database migration", "Update the service");
        assertThat(deckhand.cloud().topics().messages(deckhand.topicArn()).stream().anyMatch(message -> message.message().contains(
                "Approval needed: release-1 (" + STAGED.get(0).digest() + ") to storefront/prod, asked by arn:aws:iam::"
                        + ACCOUNT + ":user/" + REQUESTER))).isTrue();

        SignedApiClient.Answer again = client(APPROVER).post("/deployments/" + id + "/approval", "{\"decision\":\"approve\"}");
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(json(again).path("message").asText()).isEqualTo(id + " is not waiting for approval (it ended SUCCEEDED)");
        assertThat(runs.heldLocks()).isEmpty();
    }

    @Test
    void aNewerPromotionSupersedesTheOneWaitingForApprovalAndARejectionChangesNothing() throws Exception {
        awaitAllFinished();
        String prodBefore = prodImage();
        String serviceDeploymentBefore = runs.primary("acme-prod", "storefront-prod").id();
        // The newer promotion is asked for a second after the older one waits (the lock queue orders
        // requests by time), by an action that holds the clock from then on; the approval's timeout
        // is 30 min away, so it comes first.
        AtomicReference<EngineClock.Activity> second = new AtomicReference<>();
        AtomicReference<String> started = new AtomicReference<>();
        String older;
        try (EngineClock.Activity first = deckhand.clock().beginActivity()) {
            older = promote(STAGED.get(1));
            awaitWaitingForApproval(older);
            deckhand.clock().schedule(deckhand.clock().now().plusSeconds(1), () -> {
                second.set(deckhand.clock().beginActivity());
                try {
                    started.set(promote(STAGED.get(2)));
                } catch (Exception e) {
                    started.set("failed: " + e);
                }
            });
        }
        ResilienceRuns.awaitTrue(() -> started.get() != null, Instant.now().plus(TIMEOUT), () -> "the newer promotion");
        EngineClock.Activity hold = second.get();
        String newer = started.get();
        try {
            assertThat(ResilienceRuns.result(deckhand.awaitCompletion(older, TIMEOUT))).isEqualTo("SUPERSEDED");
            assertThat(runs.historyOutcome("storefront", "prod", older)).isEqualTo(Outcome.SUPERSEDED);
            awaitWaitingForApproval(newer);
            String id = runs.attemptOf("storefront", "prod", newer).deploymentId();
            SignedApiClient.Answer rejected = client(APPROVER).post("/deployments/" + id + "/approval",
                    "{\"decision\":\"reject\",\"comment\":\"not during the sale\"}");
            assertThat(rejected.status()).as(rejected.body()).isEqualTo(202);
        } finally {
            hold.close();
        }
        ExecutionDescription done = deckhand.awaitCompletion(newer, TIMEOUT);
        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("Deckhand.Rejected");
        assertThat(done.cause()).isEqualTo("Rejected by arn:aws:iam::" + ACCOUNT + ":user/" + APPROVER
                + ": not during the sale");
        AttemptRecord attempt = runs.attemptOf("storefront", "prod", newer);
        assertThat(attempt.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(attempt.details().path("approval").path("comment").asText()).isEqualTo("not during the sale");
        // Nothing changed: the same image, the same ECS deployment, no migration of the rejected image.
        assertThat(prodImage()).isEqualTo(prodBefore);
        assertThat(runs.primary("acme-prod", "storefront-prod").id()).isEqualTo(serviceDeploymentBefore);
        assertThat(runs.statesEntered(newer)).doesNotContain("Start database migration", "Update the service");
        assertThat(runs.heldLocks()).isEmpty();
    }

    @Test
    void soakTimeRefusesAFreshImageThenLetsItGoAndAnUnansweredApprovalExpires() throws Exception {
        EcrImage fresh = deckhand.push("acme/storefront", List.of("release-fresh"), ImageBehaviour.healthy());
        assertThat(ResilienceRuns.result(runs.finishedExecutionOf(fresh))).isEqualTo("SUCCEEDED");
        awaitAllFinished();
        int executions = deckhand.executions().size();

        SignedApiClient.Answer early = client(REQUESTER).post("/services/storefront/environments/prod/promotions",
                "{\"from\":\"staging\",\"digest\":\"" + fresh.digest() + "\"}");

        assertThat(early.status()).as(early.body()).isEqualTo(409);
        assertThat(json(early).path("message").asText()).startsWith("storefront/prod takes images that soaked 60 min "
                + "in staging; " + fresh.digest() + " was verified there at ").endsWith(" (in 60 min)");
        assertThat(deckhand.executions()).hasSize(executions);

        runs.letTimePass(Duration.ofMinutes(60));
        String prodBefore = prodImage();
        Instant asked = deckhand.clock().now();
        String executionArn = promote(fresh);

        // Nobody answers: simulated time reaches the approval's 30 minutes at once.
        ExecutionDescription done = deckhand.awaitCompletion(executionArn, TIMEOUT);
        assertThat(done.error()).isEqualTo("Deckhand.Expired");
        assertThat(done.cause()).isEqualTo("Nobody approved the deployment within 30 minutes");
        assertThat(runs.historyOutcome("storefront", "prod", executionArn)).isEqualTo(Outcome.EXPIRED);
        assertThat(Duration.between(asked, deckhand.clock().now())).isGreaterThanOrEqualTo(Duration.ofMinutes(30));
        assertThat(prodImage()).isEqualTo(prodBefore);
        assertThat(runs.heldLocks()).isEmpty();
        // A late answer is refused with what happened, and changes nothing.
        String id = runs.attemptOf("storefront", "prod", executionArn).deploymentId();
        SignedApiClient.Answer late = client(APPROVER).post("/deployments/" + id + "/approval", "{\"decision\":\"approve\"}");
        assertThat(late.status()).as(late.body()).isEqualTo(409);
        assertThat(json(late).path("message").asText()).isEqualTo(id + " is not waiting for approval (it ended EXPIRED)");
        assertThat(runs.historyOutcome("storefront", "prod", executionArn)).isEqualTo(Outcome.EXPIRED);
    }

    private static String promote(EcrImage image) throws Exception {
        SignedApiClient.Answer promoted = client(REQUESTER).post("/services/storefront/environments/prod/promotions",
                "{\"from\":\"staging\",\"digest\":\"" + image.digest() + "\"}");
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(202);
        return json(promoted).path("executionArn").asText();
    }

    /** The answer was refused as expected, and the deployment still waits with nothing changed. */
    private static void refused(SignedApiClient.Answer answer, String executionArn, int status, String message)
            throws Exception {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(json(answer).path("message").asText()).startsWith(message);
        assertThat(ClearMessage.problems(json(answer).path("message").asText())).isEmpty();
        List<String> entered = runs.statesEntered(executionArn);
        assertThat(entered.get(entered.size() - 1)).isEqualTo("Wait for approval");
        assertThat(deckhand.engine().describeExecution(executionArn).status()).isEqualTo(ExecutionStatus.RUNNING);
    }

    /** The execution waits in "Wait for approval" and its token is stored on prod's lock. */
    private static void awaitWaitingForApproval(String executionArn) throws InterruptedException {
        ResilienceRuns.awaitTrue(() -> runs.statesEntered(executionArn).contains("Wait for approval")
                        && runs.heldLocks().stream().anyMatch(lock -> lock.containsKey("approvalToken")
                        && lock.get("approvalExecution").s().equals(executionArn)),
                Instant.now().plus(TIMEOUT), () -> executionArn + " waiting for approval");
    }

    private static void awaitAllFinished() throws InterruptedException {
        ResilienceRuns.awaitTrue(() -> deckhand.executions().stream()
                        .noneMatch(execution -> execution.status() == ExecutionStatus.RUNNING),
                Instant.now().plus(TIMEOUT), () -> "every execution finished");
    }

    private static String prodImage() {
        return runs.servingImage("acme-prod", "storefront-prod", "web");
    }

    private static SignedApiClient client(String key) {
        String secret = switch (key) {
            case REQUESTER -> "requester-secret";
            case APPROVER -> "approver-secret";
            case DEVELOPER -> "developer-secret";
            default -> "outsider-secret";
        };
        return new SignedApiClient(deckhand.apiUrl(), Region.of(deckhand.cloud().region()),
                AwsBasicCredentials.create(key, secret));
    }

    private static JsonNode json(SignedApiClient.Answer answer) throws Exception {
        return DeckhandJson.MAPPER.readTree(answer.body());
    }
}
