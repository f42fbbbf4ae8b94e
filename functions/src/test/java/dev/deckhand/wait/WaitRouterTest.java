package dev.deckhand.wait;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WaitRouterTest {

    private final InMemoryWaits waits = new InMemoryWaits();
    private final List<String> woken = new ArrayList<>();
    private final Set<String> gone = new java.util.HashSet<>();
    private final WaitRouter router = new WaitRouter(waits, (token, output) -> {
        if (gone.contains(token)) {
            return false;
        }
        woken.add(token);
        gone.add(token); // SendTaskSuccess completes the task: a second call finds it gone
        return true;
    }, Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC));

    @Test
    void anEventWakesTheTokenWaitingForItsDeploymentAndForgetsTheWait() {
        router.await(WaitKey.rollout("ecs-svc/1"), "token-1", "exec-1");

        WaitRouter.Routed routed = router.onEvent(WaitKey.rollout("ecs-svc/1"), "SERVICE_DEPLOYMENT_COMPLETED");

        assertThat(routed.outcome()).isEqualTo("WOKEN");
        assertThat(woken).containsExactly("token-1");
        assertThat(waits.items).isEmpty();
    }

    @Test
    void anEventOfAnotherDeploymentOfTheSameServiceWakesNobody() {
        router.await(WaitKey.rollout("ecs-svc/1"), "token-1", "exec-1");

        WaitRouter.Routed routed = router.onEvent(WaitKey.rollout("ecs-svc/2"), "SERVICE_DEPLOYMENT_COMPLETED");

        assertThat(routed.outcome()).isEqualTo("NOBODY_WAITING");
        assertThat(woken).isEmpty();
        assertThat(waits.items.get(WaitKey.rollout("ecs-svc/1"))).containsEntry("token", "token-1");
    }

    @Test
    void anEventBeforeTheTokenWakesTheTokenTheMomentItIsStored() {
        router.onEvent(WaitKey.task("arn:task/1"), "TASK_STOPPED");

        WaitRouter.Routed routed = router.await(WaitKey.task("arn:task/1"), "token-1", "exec-1");

        assertThat(routed.outcome()).isEqualTo("WOKEN_BY_EARLIER_EVENT");
        assertThat(woken).containsExactly("token-1");
        assertThat(waits.items).isEmpty();
    }

    @Test
    void anEventDeliveredTwiceWakesTheTokenOnce() {
        router.await(WaitKey.rollout("ecs-svc/1"), "token-1", "exec-1");

        router.onEvent(WaitKey.rollout("ecs-svc/1"), "SERVICE_DEPLOYMENT_COMPLETED");
        WaitRouter.Routed second = router.onEvent(WaitKey.rollout("ecs-svc/1"), "SERVICE_DEPLOYMENT_COMPLETED");

        assertThat(second.outcome()).isEqualTo("NOBODY_WAITING");
        assertThat(woken).containsExactly("token-1");
    }

    @Test
    void theTokenOfATaskThatEndedIsForgottenWhenItsEventComes() {
        router.await(WaitKey.rollout("ecs-svc/1"), "token-1", "exec-1");
        gone.add("token-1"); // the execution was stopped

        WaitRouter.Routed routed = router.onEvent(WaitKey.rollout("ecs-svc/1"), "SERVICE_DEPLOYMENT_FAILED");

        assertThat(routed.outcome()).isEqualTo("TASK_GONE");
        assertThat(waits.items).isEmpty();
    }

    @Test
    void aWaitKeyNeedsWhatItWaitsFor() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WaitKey.rollout(" "))
                .hasMessage("a wait needs the ECS deployment id it waits for");
    }

    /** The table's semantics: one item per key, each write sees the other's. */
    private static final class InMemoryWaits implements Waits {
        final Map<String, Map<String, String>> items = new HashMap<>();

        @Override
        public Optional<String> register(String key, String token, String executionArn, Instant expiresAt) {
            Map<String, String> item = items.computeIfAbsent(key, k -> new HashMap<>());
            item.put("token", token);
            return Optional.ofNullable(item.get("event"));
        }

        @Override
        public Optional<String> recordEvent(String key, String eventName, Instant expiresAt) {
            Map<String, String> item = items.computeIfAbsent(key, k -> new HashMap<>());
            item.put("event", eventName);
            return Optional.ofNullable(item.get("token"));
        }

        @Override
        public void complete(String key, String token) {
            Map<String, String> item = items.get(key);
            if (item != null && token.equals(item.get("token"))) {
                items.remove(key);
            }
        }

        @Override
        public int forgetExecution(String executionArn) {
            throw new UnsupportedOperationException("wait-router never forgets an execution's waits");
        }
    }
}
