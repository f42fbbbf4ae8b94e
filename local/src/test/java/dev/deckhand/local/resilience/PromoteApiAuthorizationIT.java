package dev.deckhand.local.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.Eventually;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * {@code POST /promotions} over real HTTP to {@link LocalDeckhand#apiUrl()}: every request IAM
 * authorization refuses on AWS — unsigned, unknown key, bad signature, tampered body, expired or
 * future date, another account — gets API Gateway's 403 and starts nothing; a promotion of a
 * digest that never succeeded in the source environment gets 409 and starts nothing. The same
 * promotion, signed properly, is accepted: what refuses the others is the check, not the request.
 */
class PromoteApiAuthorizationIT {

    private static final String PROMOTION = "{\"service\":\"storefront\",\"from\":\"dev\",\"to\":\"staging\"}";
    private static final String OTHER_ACCOUNT_KEY = "AKIDOTHERACCOUNT";
    private static final AtomicInteger REFUSED = new AtomicInteger();

    private static DeckhandConfiguration configuration;
    private static LocalDeckhand deckhand;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void deployToDev() throws Exception {
        configuration = Fixtures.sampleConfiguration();
        deckhand = LocalDeckhand.builder(configuration).apiCaller(OTHER_ACCOUNT_KEY, "other-secret", "999999999999").start();
        EcrImage pushed = deckhand.push("acme/storefront", List.of("main-1"), ImageBehaviour.healthy());
        ExecutionDescription deployed = deckhand.awaitCompletion(deckhand.executionStartedBy(pushed, Duration.ofSeconds(60)),
                Duration.ofSeconds(60));
        assertThat(deployed.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @AfterAll
    static void stop() {
        System.out.println("promote API authorization: " + REFUSED.get() + " refused requests (403/409), 0 executions "
                + "started by them, and the same promotion signed properly accepted (202)");
        deckhand.close();
    }

    @Test
    void unauthorizedRequestsAreRefusedWith403AndStartNothing() throws Exception {
        Instant now = Instant.now();
        refused(403, "Missing Authentication Token", HttpRequest.newBuilder(promotions())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(PROMOTION)).build());
        refused(403, "The security token included in the request is invalid.",
                signed("AKIDUNKNOWN", "whatever", now, PROMOTION, PROMOTION));
        refused(403, "The request signature we calculated does not match the signature you provided.",
                signed(LocalDeckhand.ACCESS_KEY_ID, "not-the-secret", now, PROMOTION, PROMOTION));
        refused(403, "The request signature we calculated does not match the signature you provided.",
                signed(LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY, now, PROMOTION,
                        PROMOTION.replace("staging", "prod")));
        refused(403, "is not authorized to access this resource",
                signed(OTHER_ACCOUNT_KEY, "other-secret", now, PROMOTION, PROMOTION));
    }

    @Test
    void aSignatureOlderOrNewerThanFiveMinutesIsRefused() throws Exception {
        Instant now = Instant.now();

        refused(403, "Signature expired: ", signed(LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY,
                now.minus(Duration.ofMinutes(6)), PROMOTION, PROMOTION));
        refused(403, "Signature not yet current: ", signed(LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY,
                now.plus(Duration.ofMinutes(6)), PROMOTION, PROMOTION));
    }

    @Test
    void aDigestThatNeverSucceededInTheSourceEnvironmentIsRefusedWith409AndStartsNothing() throws Exception {
        String never = "sha256:" + "0".repeat(64);
        String failedThere = deckhand.push("acme/storefront", List.of("feature-broken"), ImageBehaviour.unhealthy()).digest();
        awaitRolledBack(failedThere);

        refused(409, never + " never deployed successfully to storefront/dev", signed(LocalDeckhand.ACCESS_KEY_ID,
                LocalDeckhand.SECRET_ACCESS_KEY, Instant.now(), withDigest(never), withDigest(never)));
        refused(409, failedThere + " never deployed successfully to storefront/dev", signed(LocalDeckhand.ACCESS_KEY_ID,
                LocalDeckhand.SECRET_ACCESS_KEY, Instant.now(), withDigest(failedThere), withDigest(failedThere)));
    }

    @Test
    void theSamePromotionSignedProperlyIsAccepted() throws Exception {
        HttpResponse<String> response = HTTP.send(signed(LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY,
                Instant.now(), PROMOTION, PROMOTION), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String executionArn = DeckhandJson.MAPPER.readTree(response.body()).path("executionArn").asText();
        assertThat(deckhand.awaitCompletion(executionArn, Duration.ofSeconds(60)).status())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    /** Sends the request; it must be refused with the status and message, changing nothing. */
    private static void refused(int status, String message, HttpRequest request) throws Exception {
        awaitAllFinished();
        List<String> executions = deckhand.executions().stream().map(ExecutionDescription::executionArn).toList();
        Footprint before = Footprint.of(deckhand, configuration);

        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = DeckhandJson.MAPPER.readTree(response.body());
        assertThat(body.path("message").asText()).contains(message);
        assertThat(ClearMessage.problems(body.path("message").asText())).isEmpty();
        awaitAllFinished();
        assertThat(deckhand.executions()).extracting(ExecutionDescription::executionArn)
                .containsExactlyInAnyOrderElementsOf(executions);
        assertThat(Footprint.of(deckhand, configuration)).isEqualTo(before);
        REFUSED.incrementAndGet();
    }

    /** POST /promotions signed at {@code signedAt} over {@code signedBody}, sending {@code sentBody}. */
    private static HttpRequest signed(String key, String secret, Instant signedAt, String signedBody, String sentBody) {
        URI uri = promotions();
        byte[] body = signedBody.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Host", uri.getHost() + ":" + uri.getPort())
                .putHeader("Content-Type", "application/json")
                .contentStreamProvider(() -> new ByteArrayInputStream(body)).build();
        SdkHttpFullRequest signed = Aws4Signer.create().sign(request, Aws4SignerParams.builder()
                .awsCredentials(AwsBasicCredentials.create(key, secret)).signingName("execute-api")
                .signingRegion(Region.of(deckhand.cloud().region()))
                .signingClockOverride(Clock.fixed(signedAt, ZoneOffset.UTC)).build());
        HttpRequest.Builder http = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(sentBody));
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(value -> http.header(name, value));
            }
        });
        return http.build();
    }

    private static String withDigest(String digest) {
        return PROMOTION.replace("}", ",\"digest\":\"" + digest + "\"}");
    }

    private static URI promotions() {
        return deckhand.apiUrl().resolve("/promotions");
    }

    /**
     * Waits for the push's deployment to roll back, and for its status change to reach the lock
     * cleanup (EventBridge delivers it after the execution ends), so nothing changes afterwards.
     */
    private static void awaitRolledBack(String digest) throws InterruptedException {
        Duration timeout = Duration.ofSeconds(60);
        String executionArn = Eventually.value(timeout, () -> "a deployment of " + digest, () -> deckhand.executions()
                .stream().filter(execution -> execution.input().contains(digest)).findFirst()
                .map(ExecutionDescription::executionArn));
        assertThat(deckhand.awaitCompletion(executionArn, timeout).error()).isEqualTo("Deckhand.RolledBack");
        Eventually.until(timeout, () -> "the status change of " + executionArn + " delivered", () -> deckhand.cloud()
                .events().deliveries().stream().anyMatch(delivery -> delivery.ruleName().equals(LocalDeckhand.DEAD_EXECUTION_RULE)
                        && delivery.event().path("detail").path("executionArn").asText().equals(executionArn)));
    }

    private static void awaitAllFinished() throws InterruptedException {
        Eventually.until(Duration.ofSeconds(60), () -> "every execution finished", () -> deckhand.executions().stream()
                .noneMatch(execution -> execution.status() == ExecutionStatus.RUNNING));
    }
}
