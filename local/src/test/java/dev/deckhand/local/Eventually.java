package dev.deckhand.local;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way local-cloud tests wait: poll until a condition holds or a deadline passes. The local
 * cloud delivers events and runs executions on threads of its own, as AWS does, so a test waits
 * for what it observes rather than sleeping a guessed time. {@link #until} and {@link #value} fail
 * with a message naming what never happened.
 */
public final class Eventually {

    private static final long POLL_MILLIS = 2;

    /** Waits until {@code condition} holds; fails with "timed out after … waiting for {@code what}". */
    public static void until(Duration timeout, Supplier<String> what, BooleanSupplier condition)
            throws InterruptedException {
        value(timeout, what, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** Waits until {@code probe} finds a value, and returns it; fails naming {@code what} at the deadline. */
    public static <T> T value(Duration timeout, Supplier<String> what, Supplier<Optional<T>> probe)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what.get());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** The first value that satisfies {@code done}, or the last one read when 5 seconds have passed. */
    public static <T> T poll(Supplier<T> value, Predicate<T> done) {
        return poll(value, done, Duration.ofSeconds(5));
    }

    /** The first value that satisfies {@code done}, or the last one read when {@code timeout} has passed. */
    public static <T> T poll(Supplier<T> value, Predicate<T> done, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        T current = value.get();
        while (!done.test(current) && Instant.now().isBefore(deadline)) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            current = value.get();
        }
        return current;
    }

    private Eventually() {
    }
}
