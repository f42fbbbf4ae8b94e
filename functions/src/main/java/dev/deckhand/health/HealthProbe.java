package dev.deckhand.health;

import java.time.Duration;

/** Sends one health request. The only adapter is HTTP; tests use it on loopback. */
@FunctionalInterface
public interface HealthProbe {

    /** Never throws for network trouble: a missing answer is an answer too. */
    ProbeAnswer probe(String url, Duration timeout);
}
