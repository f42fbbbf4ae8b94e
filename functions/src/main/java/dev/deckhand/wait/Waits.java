package dev.deckhand.wait;

import java.time.Instant;
import java.util.Optional;

/**
 * Durable waits: which task token waits for which ECS happening, and which happenings arrived
 * before anyone waited for them. Each change is one atomic write, so a token stored and an event
 * recorded at the same moment always meet: whichever comes second sees the other.
 */
public interface Waits {

    /**
     * Stores {@code token} as the one waiting for {@code key}.
     *
     * @return the event already recorded for {@code key}, if one arrived first
     */
    Optional<String> register(String key, String token, String executionArn, Instant expiresAt);

    /**
     * Records that {@code eventName} happened for {@code key}.
     *
     * @return the token waiting for it, if one is stored
     */
    Optional<String> recordEvent(String key, String eventName, Instant expiresAt);

    /** Forgets the wait for {@code key} if {@code token} is still the one stored (a newer wait stays). */
    void complete(String key, String token);

    /**
     * Forgets every wait of a dead execution (its tokens can never be answered).
     *
     * @return how many waits were forgotten
     */
    int forgetExecution(String executionArn);
}
