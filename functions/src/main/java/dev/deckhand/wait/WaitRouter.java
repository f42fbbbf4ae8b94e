package dev.deckhand.wait;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Joins the deployer's waiting states and ECS's events. A state that starts work (or waits for
 * it) stores its token with what it started ({@link #await}); a final event wakes that token with
 * the verdict of the work's judge ({@link #onEvent}), so a success goes on without another look.
 * Anything but a plain success is answered with a status the definition sends to the check, which
 * describes ECS and explains the failure in full; a duplicate or late event finds no wait left.
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
    private final Map<String, EventJudge> judges;

    /** @param judges by {@link WaitKey#kind}: who judges the events of each kind of wait */
    public WaitRouter(Waits waits, Callbacks callbacks, Clock clock, Map<String, EventJudge> judges) {
        this.waits = waits;
        this.callbacks = callbacks;
        this.clock = clock;
        this.judges = Map.copyOf(judges);
    }

    /** What became of a wait or an event. */
    public record Routed(String key, String outcome) {
    }

    /**
     * Stores the token with what it waits for; when the final event came first, wakes the token
     * at once with its verdict (the event may arrive before the token is stored).
     *
     * @param started what the state started (the rollout, the migration task), handed back in the verdict
     */
    public Routed await(String key, JsonNode started, String token, String executionArn) {
        Optional<String> early = waits.register(key, token, executionArn, started.toString(), clock.instant().plus(KEPT));
        if (early.isEmpty()) {
            return new Routed(key, "WAITING");
        }
        callbacks.wake(token, judge(key, started, parse(early.get())));
        waits.complete(key, token);
        return new Routed(key, "WOKEN_BY_EARLIER_EVENT");
    }

    /** Wakes the token waiting for {@code key} with its verdict, if any; otherwise keeps the event for a wait to come. */
    public Routed onEvent(String key, JsonNode detail) {
        Optional<Waits.Waiting> waiting = waits.recordEvent(key, detail.toString(), clock.instant().plus(KEPT));
        if (waiting.isEmpty()) {
            return new Routed(key, "NOBODY_WAITING");
        }
        boolean woken = callbacks.wake(waiting.get().token(), judge(key, parse(waiting.get().started()), detail));
        // A token whose task is gone (stopped execution, timed-out wait) is forgotten as well.
        waits.complete(key, waiting.get().token());
        return new Routed(key, woken ? "WOKEN" : "TASK_GONE");
    }

    /**
     * Forgets the execution's waits, which are all dead when a check runs (no callback state of the
     * execution is open then: a wait whose event was lost ended by its heartbeat), and returns what
     * its wait of {@code kind} was stored with: the heartbeat path of a starting step needs it, as
     * Step Functions keeps no result of a waitForTaskToken task but the callback's. The index read
     * comes a heartbeat (60 s) after the write: the eventually consistent index has it by then
     * (HowItWorks.ReadConsistency).
     */
    public Optional<JsonNode> endWaits(String executionArn, String kind) {
        Optional<JsonNode> started = Optional.empty();
        for (Waits.Stored wait : waits.ofExecution(executionArn)) {
            waits.complete(wait.key(), wait.token());
            if (WaitKey.kind(wait.key()).equals(kind)) {
                started = Optional.of(parse(wait.started()));
            }
        }
        return started;
    }

    private String judge(String key, JsonNode started, JsonNode detail) {
        EventJudge judge = judges.get(WaitKey.kind(key));
        if (judge == null) {
            throw new IllegalStateException("no judge for the waits of kind " + WaitKey.kind(key));
        }
        return judge.verdict(started, detail);
    }

    private static JsonNode parse(String json) {
        try {
            return DeckhandJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored wait is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
