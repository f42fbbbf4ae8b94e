package dev.deckhand.wait;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Joins the deployer's waiting states and ECS's events. A waiting state stores its token
 * ({@link #await}); an event wakes the token stored for it ({@link #onEvent}). Waking is only a
 * signal: the state after the wait asks ECS and judges with the usual judges, so a duplicate, a
 * late or an out-of-order event can at worst cause one more look, never a wrong verdict.
 */
public final class WaitRouter {

    /**
     * How long a wait or an early event is kept: past the longest wait (a 30-minute rollout) and
     * the execution's own 4-hour timeout, so DynamoDB's TTL only ever removes what nobody needs.
     */
    public static final Duration KEPT = Duration.ofHours(6);

    private final Waits waits;
    private final Callbacks callbacks;
    private final Clock clock;

    public WaitRouter(Waits waits, Callbacks callbacks, Clock clock) {
        this.waits = waits;
        this.callbacks = callbacks;
        this.clock = clock;
    }

    /** What became of a wait or an event. */
    public record Routed(String key, String outcome) {
    }

    /**
     * Stores the token; when the awaited event came first, wakes the token at once (the event
     * may arrive before the token is stored).
     */
    public Routed await(String key, String token, String executionArn) {
        Optional<String> early = waits.register(key, token, executionArn, clock.instant().plus(KEPT));
        if (early.isEmpty()) {
            return new Routed(key, "WAITING");
        }
        callbacks.wake(token, wakeOutput(key, early.get(), "the event arrived before the wait"));
        waits.complete(key, token);
        return new Routed(key, "WOKEN_BY_EARLIER_EVENT");
    }

    /** Wakes the token waiting for {@code key}, if any; otherwise keeps the event for a wait to come. */
    public Routed onEvent(String key, String eventName) {
        Optional<String> token = waits.recordEvent(key, eventName, clock.instant().plus(KEPT));
        if (token.isEmpty()) {
            return new Routed(key, "NOBODY_WAITING");
        }
        boolean woken = callbacks.wake(token.get(), wakeOutput(key, eventName, "ECS reported it"));
        // A token whose task is gone (stopped execution, timed-out wait) is forgotten as well.
        waits.complete(key, token.get());
        return new Routed(key, woken ? "WOKEN" : "TASK_GONE");
    }

    private static String wakeOutput(String key, String eventName, String how) {
        return "{\"key\":" + quote(key) + ",\"event\":" + quote(eventName) + ",\"how\":" + quote(how) + "}";
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
