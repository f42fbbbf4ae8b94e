package dev.deckhand.coordinate;

import java.time.Instant;

/**
 * The lock of one service environment: who holds it, and the newest deployment that asked.
 *
 * @param holder the execution holding the lock, or {@code null}
 * @param leaseExpiresAt when a holder that vanished without releasing loses the lock, or {@code null}
 * @param newest the newest request, or {@code null}
 */
public record LockState(String holder, Instant leaseExpiresAt, LockRequest newest) {
}
