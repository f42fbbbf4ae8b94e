package dev.deckhand.wait;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable waits: which task token waits for which ECS happening (with what its state started),
 * and which final happenings arrived before anyone waited for them. Each change is one atomic
 * write, so a token stored and an event recorded at the same moment always meet: whichever comes
 * second sees the other.
 */
public interface Waits {

    /** A stored wait: its token and what its state started (JSON). */
    record Waiting(String token, String started) {
    }

    /**
     * Stores {@code token} as the one waiting for {@code key}, with what its state {@code started} (JSON).
     *
     * @return the event (its detail, JSON) already recorded for {@code key}, if one arrived first
     */
    Optional<String> register(String key, String token, String executionArn, String started, Instant expiresAt);

    /**
     * Records that the event {@code detail} (JSON) happened for {@code key}.
     *
     * @return the wait stored for it, if any
     */
    Optional<Waiting> recordEvent(String key, String detail, Instant expiresAt);

    /** Forgets the wait for {@code key} if {@code token} is still the one stored (a newer wait stays). */
    void complete(String key, String token);

    /** A stored wait of an execution: its key, token and what its state started (JSON). */
    record Stored(String key, String token, String started) {
    }

    /** The waits an execution stored (an execution waits in one state at a time; older ones are dead). */
    List<Stored> ofExecution(String executionArn);

    /**
     * Forgets every wait of a dead execution (its tokens can never be answered).
     *
     * @return how many waits were forgotten
     */
    int forgetExecution(String executionArn);
}
