package dev.deckhand.wait;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deploy.RolloutEvents;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.migrate.MigrationEvents;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WaitRouterTest {

    private static final JsonNode ROLLOUT = json("{'ecsDeploymentId':'ecs-svc/1','taskDefinition':'arn:td:2'}");
    private static final JsonNode MIGRATION = json("{'taskArn':'arn:task/1','container':'migrate','timeoutSeconds':600}");

    private final InMemoryWaits waits = new InMemoryWaits();
    /** token → the verdict it was woken with. */
    private final Map<String, JsonNode> woken = new LinkedHashMap<>();
    private final Set<String> gone = new java.util.HashSet<>();
    private final WaitRouter router = new WaitRouter(waits, (token, output) -> {
        if (gone.contains(token)) {
            return false;
        }
        woken.put(token, json(output));
        gone.add(token); // SendTaskSuccess completes the task: a second call finds it gone
        return true;
    }, Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC),
            Map.of(WaitKey.ROLLOUT, new RolloutEvents(), WaitKey.TASK, new MigrationEvents()));

    @Test
    void aCompletedDeploymentWakesItsTokenWithTheVerdictAndTheRolloutAndForgetsTheWait() {
        router.await(WaitKey.rollout("ecs-svc/1"), ROLLOUT, "token-1", "exec-1");

        WaitRouter.Routed routed = router.onEvent(WaitKey.rollout("ecs-svc/1"), deployment("SERVICE_DEPLOYMENT_COMPLETED"));

        assertThat(routed.outcome()).isEqualTo("WOKEN");
        assertThat(woken.get("token-1").path("status").asText()).isEqualTo("COMPLETED");
        assertThat(woken.get("token-1").path("rollout")).isEqualTo(ROLLOUT);
        assertThat(waits.items).isEmpty();
    }

    @Test
    void aFailedDeploymentIsAnsweredEndedSoTheCheckExplainsIt() {
        router.await(WaitKey.rollout("ecs-svc/1"), ROLLOUT, "token-1", "exec-1");

        router.onEvent(WaitKey.rollout("ecs-svc/1"), deployment("SERVICE_DEPLOYMENT_FAILED"));

        assertThat(woken.get("token-1").path("status").asText()).isEqualTo("ENDED");
        assertThat(woken.get("token-1").path("progress").asText()).contains("SERVICE_DEPLOYMENT_FAILED");
    }

    @Test
    void aMigrationThatExitedZeroSucceedsFromItsEventAloneAnyOtherEndIsLeftToTheCheck() {
        router.await(WaitKey.task("arn:task/1"), MIGRATION, "token-1", "exec-1");
        router.await(WaitKey.task("arn:task/2"), MIGRATION, "token-2", "exec-2");
        router.await(WaitKey.task("arn:task/3"), MIGRATION, "token-3", "exec-3");

        router.onEvent(WaitKey.task("arn:task/1"), stopped("arn:task/1", "0"));
        router.onEvent(WaitKey.task("arn:task/2"), stopped("arn:task/2", "1"));
        router.onEvent(WaitKey.task("arn:task/3"), stopped("arn:task/3", null)); // never started

        assertThat(woken.get("token-1").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(woken.get("token-1").path("migration")).isEqualTo(MIGRATION);
        assertThat(woken.get("token-2").path("status").asText()).isEqualTo("STOPPED");
        assertThat(woken.get("token-3").path("status").asText()).isEqualTo("STOPPED");
    }

    @Test
    void anEventOfAnotherDeploymentOfTheSameServiceWakesNobody() {
        router.await(WaitKey.rollout("ecs-svc/1"), ROLLOUT, "token-1", "exec-1");

        WaitRouter.Routed routed = router.onEvent(WaitKey.rollout("ecs-svc/2"), deployment("SERVICE_DEPLOYMENT_COMPLETED"));

        assertThat(routed.outcome()).isEqualTo("NOBODY_WAITING");
        assertThat(woken).isEmpty();
        assertThat(waits.items.get(WaitKey.rollout("ecs-svc/1"))).containsEntry("token", "token-1");
    }

    @Test
    void anEventBeforeTheTokenIsJudgedTheMomentTheTokenIsStored() {
        router.onEvent(WaitKey.task("arn:task/1"), stopped("arn:task/1", "0"));

        WaitRouter.Routed routed = router.await(WaitKey.task("arn:task/1"), MIGRATION, "token-1", "exec-1");

        assertThat(routed.outcome()).isEqualTo("WOKEN_BY_EARLIER_EVENT");
        assertThat(woken.get("token-1").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(waits.items).isEmpty();
    }

    @Test
    void aNonFinalEventNeitherWakesNorHidesTheFinalOneRecordedBeforeIt() {
        router.onEvent(WaitKey.task("arn:task/1"), stopped("arn:task/1", "0"));
        WaitRouter.Routed late = WaitInput.parse(json("{'detail-type':'ECS Task State Change',"
                + "'detail':{'taskArn':'arn:task/1','lastStatus':'RUNNING'}}")).runWith(router);

        router.await(WaitKey.task("arn:task/1"), MIGRATION, "token-1", "exec-1");

        assertThat(late.outcome()).isEqualTo("NOT_FINAL");
        assertThat(woken.get("token-1").path("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void anEventDeliveredTwiceWakesTheTokenOnce() {
        router.await(WaitKey.rollout("ecs-svc/1"), ROLLOUT, "token-1", "exec-1");

        router.onEvent(WaitKey.rollout("ecs-svc/1"), deployment("SERVICE_DEPLOYMENT_COMPLETED"));
        WaitRouter.Routed second = router.onEvent(WaitKey.rollout("ecs-svc/1"), deployment("SERVICE_DEPLOYMENT_COMPLETED"));

        assertThat(second.outcome()).isEqualTo("NOBODY_WAITING");
        assertThat(woken).containsOnlyKeys("token-1");
    }

    @Test
    void theTokenOfATaskThatEndedIsForgottenWhenItsEventComes() {
        router.await(WaitKey.rollout("ecs-svc/1"), ROLLOUT, "token-1", "exec-1");
        gone.add("token-1"); // the execution was stopped

        WaitRouter.Routed routed = router.onEvent(WaitKey.rollout("ecs-svc/1"), deployment("SERVICE_DEPLOYMENT_FAILED"));

        assertThat(routed.outcome()).isEqualTo("TASK_GONE");
        assertThat(waits.items).isEmpty();
    }

    @Test
    void aCheckEndsTheExecutionsDeadWaitsAndFindsWhatTheWaitOfItsKindWasStoredWith() {
        router.await(WaitKey.task("arn:task/1"), MIGRATION, "token-1", "exec-1"); // its event was lost
        router.await(WaitKey.rollout("ecs-svc/1"), ROLLOUT, "token-2", "exec-1"); // so was this one
        router.await(WaitKey.rollout("ecs-svc/9"), ROLLOUT, "token-9", "exec-9");

        assertThat(router.endWaits("exec-1", WaitKey.ROLLOUT)).contains(ROLLOUT);
        assertThat(waits.items).containsOnlyKeys(WaitKey.rollout("ecs-svc/9"));
        assertThat(router.endWaits("exec-2", WaitKey.TASK)).isEmpty();
    }

    @Test
    void aWaitKeyNeedsWhatItWaitsFor() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WaitKey.rollout(" "))
                .hasMessage("a wait needs the ECS deployment id it waits for");
    }

    private static JsonNode deployment(String eventName) {
        return json("{'eventName':'" + eventName + "','deploymentId':'ecs-svc/1'}");
    }

    private static JsonNode stopped(String taskArn, String exitCode) {
        return json("{'taskArn':'" + taskArn + "','lastStatus':'STOPPED','stopCode':'EssentialContainerExited',"
                + "'containers':[{'name':'migrate','lastStatus':'STOPPED'" + (exitCode == null ? "" : ",'exitCode':" + exitCode)
                + "}]}");
    }

    private static JsonNode json(String text) {
        try {
            return DeckhandJson.MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The table's semantics: one item per key, each write sees the other's. */
    private static final class InMemoryWaits implements Waits {
        final Map<String, Map<String, String>> items = new HashMap<>();

        @Override
        public Optional<String> register(String key, String token, String executionArn, String started,
                Instant expiresAt) {
            Map<String, String> item = items.computeIfAbsent(key, k -> new HashMap<>());
            item.put("token", token);
            item.put("executionArn", executionArn);
            item.put("started", started);
            return Optional.ofNullable(item.get("event"));
        }

        @Override
        public Optional<Waiting> recordEvent(String key, String detail, Instant expiresAt) {
            Map<String, String> item = items.computeIfAbsent(key, k -> new HashMap<>());
            item.put("event", detail);
            return Optional.ofNullable(item.get("token")).map(token -> new Waiting(token, item.get("started")));
        }

        @Override
        public void complete(String key, String token) {
            Map<String, String> item = items.get(key);
            if (item != null && token.equals(item.get("token"))) {
                items.remove(key);
            }
        }

        @Override
        public List<Stored> ofExecution(String executionArn) {
            return items.entrySet().stream().filter(item -> executionArn.equals(item.getValue().get("executionArn")))
                    .map(item -> new Stored(item.getKey(), item.getValue().get("token"), item.getValue().get("started")))
                    .toList();
        }

        @Override
        public int forgetExecution(String executionArn) {
            throw new UnsupportedOperationException("wait-router never forgets an execution's waits");
        }
    }
}
