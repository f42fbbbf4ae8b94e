package dev.deckhand.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.config.HealthCheckSettings;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.health.HealthCheck;
import dev.deckhand.health.ProbeAnswer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hook's answers, per "Lambda hooks for Amazon ECS service deployments" (lambda-lifecycle-hooks):
 * hookStatus SUCCEEDED / FAILED / IN_PROGRESS, callBackDelay in seconds, and hookDetails handed
 * back to the next invocation ("Passing state with hookDetails"); the payload's traffic weights
 * per service revision ARN ("Lifecycle payloads", deployment-lifecycle-hooks).
 */
class LifecycleHookTest {

    private static final String DIGEST = "sha256:" + "d".repeat(64);
    private static final String IMAGE = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/acme/api@" + DIGEST;
    private static final String GREEN = "arn:aws:ecs:eu-west-1:111122223333:service-revision/prod/api/2";
    private static final String BLUE = "arn:aws:ecs:eu-west-1:111122223333:service-revision/prod/api/1";
    private static final HealthCheckSettings HEALTH = new HealthCheckSettings("http://api/health", 200, null, 2, 3, 5);
    private static final HookDetails CONFIGURED = new HookDetails("api/prod/" + DIGEST, IMAGE, HEALTH,
            "http://api:8443/health", null, null);

    private final Deque<ProbeAnswer> answers = new ArrayDeque<>();
    private final List<String> probed = new ArrayList<>();
    /** The kept answers, per target service revision; a write to {@link #BROKEN} fails. */
    private final Map<String, String> kept = new java.util.HashMap<>();
    private static final String BROKEN = "arn:aws:ecs:eu-west-1:111122223333:service-revision/prod/api/9";
    private final HookAnswers store = new HookAnswers() {
        @Override
        public void record(String targetServiceRevisionArn, String answer) {
            if (targetServiceRevisionArn.equals(BROKEN)) {
                throw new IllegalStateException("UpdateItem: ProvisionedThroughputExceededException");
            }
            kept.put(targetServiceRevisionArn, answer);
        }

        @Override
        public java.util.Optional<String> last(String targetServiceRevisionArn) {
            return java.util.Optional.ofNullable(kept.get(targetServiceRevisionArn));
        }
    };
    private final LifecycleHook hook = new LifecycleHook(new HealthCheck((url, timeout) -> {
        probed.add(url);
        return answers.isEmpty() ? ProbeAnswer.noAnswer("connection refused") : answers.poll();
    }, duration -> { }), store);

    private static HookInvocation atTestTraffic(HookDetails details) {
        return new HookInvocation("exec-test", "POST_TEST_TRAFFIC_SHIFT", GREEN,
                Map.of(GREEN, 100.0, BLUE, 0.0), Map.of(BLUE, 100.0, GREEN, 0.0), details);
    }

    private static HookInvocation atProduction(double share, HookDetails details) {
        return new HookInvocation("exec-production", share >= 100 ? "POST_PRODUCTION_TRAFFIC_SHIFT"
                : "PRODUCTION_TRAFFIC_SHIFT", GREEN, Map.of(GREEN, 100.0), Map.of(BLUE, 100.0 - share, GREEN, share), details);
    }

    private void healthy(int times) {
        for (int i = 0; i < times; i++) {
            answers.add(ProbeAnswer.answered(200, "{\"image\":\"" + DIGEST + "\"}"));
        }
    }

    @Test
    void probesTheTestListenerBeforeProductionTrafficAndSucceedsOnAHealthyRound() throws Exception {
        healthy(2);

        HookAnswer answer = hook.answer(atTestTraffic(CONFIGURED));

        assertThat(answer.hookStatus()).isEqualTo(HookAnswer.SUCCEEDED);
        assertThat(probed).containsExactly("http://api:8443/health", "http://api:8443/health");
    }

    @Test
    void probesTheProductionUrlOnceTheNewRevisionHasAllProductionTraffic() throws Exception {
        healthy(2);

        assertThat(hook.answer(atProduction(100.0, CONFIGURED)).hookStatus()).isEqualTo(HookAnswer.SUCCEEDED);
        assertThat(probed).containsOnly("http://api/health");
    }

    @Test
    void answersInProgressOnTheBackoffCarryingTheRoundInHookDetails() throws Exception {
        answers.add(ProbeAnswer.answered(503, "starting"));

        HookAnswer first = hook.answer(atTestTraffic(CONFIGURED));

        assertThat(first.hookStatus()).isEqualTo(HookAnswer.IN_PROGRESS);
        assertThat(first.callBackDelay()).isEqualTo(1);
        assertThat(first.hookDetails().round()).isEqualTo(2);
        assertThat(first.hookDetails().image()).isEqualTo(IMAGE);

        answers.add(ProbeAnswer.answered(503, "starting"));
        HookAnswer second = hook.answer(atTestTraffic(first.hookDetails()));
        assertThat(second.callBackDelay()).isEqualTo(2);
        assertThat(second.hookDetails().round()).isEqualTo(3);
    }

    @Test
    void failsWhenTheLastAllowedRoundIsUnhealthy() throws Exception {
        HookDetails third = CONFIGURED.next("exec-test POST_TEST_TRAFFIC_SHIFT production 0.0 %", 2);
        answers.add(ProbeAnswer.answered(500, "boom"));

        HookAnswer answer = hook.answer(atTestTraffic(third));

        assertThat(answer.hookStatus()).isEqualTo(HookAnswer.FAILED);
        assertThat(answer.callBackDelay()).isNull();
        assertThat(answer.reason()).isEqualTo("unhealthy after 3 rounds; last: round 3 of 3: http://api:8443/health "
                + "answered status 500, expected 200: boom");
        assertThat(kept).containsExactly(Map.entry(GREEN, "the hook answered FAILED at POST_TEST_TRAFFIC_SHIFT (0.0 % "
                + "production, 100.0 % test): unhealthy after 3 rounds; last: round 3 of 3: http://api:8443/health "
                + "answered status 500, expected 200: boom"));
    }

    @Test
    void keepsOnlyFailedAnswers() throws Exception {
        healthy(2);
        assertThat(hook.answer(atTestTraffic(CONFIGURED)).hookStatus()).isEqualTo(HookAnswer.SUCCEEDED);
        answers.add(ProbeAnswer.answered(503, "starting"));
        assertThat(hook.answer(atTestTraffic(CONFIGURED)).hookStatus()).isEqualTo(HookAnswer.IN_PROGRESS);

        assertThat(kept).isEmpty();
    }

    /** A store that cannot be written never changes the answer ECS gets. */
    @Test
    void answersFailedEvenWhenItsAnswerCannotBeKept() throws Exception {
        HookInvocation broken = new HookInvocation("exec-test", "POST_TEST_TRAFFIC_SHIFT", BROKEN,
                Map.of(BROKEN, 100.0), Map.of(BLUE, 100.0), CONFIGURED.next(
                        "exec-test POST_TEST_TRAFFIC_SHIFT production 0.0 %", 3));
        answers.add(ProbeAnswer.answered(500, "boom"));

        HookAnswer answer = hook.answer(broken);

        assertThat(answer.hookStatus()).isEqualTo(HookAnswer.FAILED);
        assertThat(kept).isEmpty();
    }

    @Test
    void anAnswerFromTheOldRevisionIsUnhealthy() throws Exception {
        HookDetails last = CONFIGURED.next("exec-test POST_TEST_TRAFFIC_SHIFT production 0.0 %", 2);
        answers.add(ProbeAnswer.answered(200, "{\"image\":\"sha256:" + "0".repeat(64) + "\"}"));

        assertThat(hook.answer(atTestTraffic(last)).reason()).contains("not the deployed " + DIGEST);
    }

    @Test
    void eachTrafficStepIsJudgedFromItsFirstRound() throws Exception {
        // Rounds counted at the test-traffic stage do not count against the canary step.
        HookDetails lastRoundAtTest = CONFIGURED.next("exec-test POST_TEST_TRAFFIC_SHIFT production 0.0 %", 2);
        answers.add(ProbeAnswer.answered(503, "warming"));

        HookAnswer atCanary = hook.answer(atProduction(10.0, lastRoundAtTest));

        assertThat(atCanary.hookStatus()).isEqualTo(HookAnswer.IN_PROGRESS);
        assertThat(atCanary.hookDetails().round()).isEqualTo(2);
        assertThat(atCanary.hookDetails().step()).isEqualTo("exec-production PRODUCTION_TRAFFIC_SHIFT production 10.0 %");
    }

    @Test
    void failsClosedWhenNoListenerReachesTheNewRevisionAlone() throws Exception {
        HookDetails noTestUrl = new HookDetails("id", IMAGE, HEALTH, null, null, null);

        HookAnswer answer = hook.answer(atProduction(10.0, noTestUrl));

        assertThat(answer.hookStatus()).isEqualTo(HookAnswer.FAILED);
        assertThat(answer.reason()).contains("no listener sends all its traffic to " + GREEN);
        assertThat(probed).isEmpty();
        assertThat(kept.get(GREEN)).startsWith("the hook answered FAILED at PRODUCTION_TRAFFIC_SHIFT (10.0 % production, "
                + "100.0 % test): no listener sends all its traffic to " + GREEN);
    }

    /** The payload as "Lifecycle payloads" shows it: the traffic under executionDetails, the stage, the executionId. */
    @Test
    void readsEcsPayloadAndAnswersInTheShapeEcsReads() throws Exception {
        String payload = """
                {"executionDetails": {"serviceArn": "arn:aws:ecs:eu-west-1:111122223333:service/prod/api",
                   "targetServiceRevisionArn": "%s",
                   "testTrafficWeights": {"%s": 100, "%s": 0}, "productionTrafficWeights": {"%s": 100, "%s": 0}},
                 "executionId": "e-1", "lifecycleStage": "POST_TEST_TRAFFIC_SHIFT",
                 "resourceArn": "arn:aws:ecs:eu-west-1:111122223333:service-deployment/prod/api/x",
                 "hookDetails": %s}
                """.formatted(GREEN, GREEN, BLUE, BLUE, GREEN,
                dev.deckhand.json.DeckhandJson.MAPPER.writeValueAsString(CONFIGURED));
        answers.add(ProbeAnswer.answered(503, "starting"));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        new LifecycleHookHandler(hook).handleRequest(new java.io.ByteArrayInputStream(payload.getBytes()), out, null);

        com.fasterxml.jackson.databind.JsonNode answer = dev.deckhand.json.DeckhandJson.MAPPER.readTree(out.toByteArray());
        assertThat(probed).containsExactly("http://api:8443/health");
        assertThat(answer.path("hookStatus").asText()).isEqualTo("IN_PROGRESS");
        assertThat(answer.path("callBackDelay").asInt()).isEqualTo(1);
        assertThat(answer.path("hookDetails").path("round").asInt()).isEqualTo(2);
        assertThat(answer.path("hookDetails").path("step").asText()).isEqualTo("e-1 POST_TEST_TRAFFIC_SHIFT production 0.0 %");
        assertThat(answer.has("reason")).as("only what ECS reads").isFalse();
    }

    /** deployment-lifecycle-hooks: "When a rollback happens, Amazon ECS runs lifecycle hooks for" TEST_ and PRODUCTION_TRAFFIC_SHIFT. */
    @Test
    void letsEcsRollBackWhenTheNewRevisionHasNoTrafficLeft() throws Exception {
        HookInvocation rollingBack = new HookInvocation("exec-rollback", "PRODUCTION_TRAFFIC_SHIFT", GREEN,
                Map.of(GREEN, 0.0, BLUE, 100.0), Map.of(GREEN, 0.0, BLUE, 100.0), CONFIGURED);

        HookAnswer answer = hook.answer(rollingBack);

        assertThat(answer.hookStatus()).isEqualTo(HookAnswer.SUCCEEDED);
        assertThat(answer.reason()).contains("rolling").contains("back");
        assertThat(probed).isEmpty();
    }

    @Test
    void refusesAnInvocationWithoutDeckhandsHookDetails() {
        assertThatThrownBy(() -> hook.answer(atTestTraffic(null))).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("hookDetails: ");
    }
}
