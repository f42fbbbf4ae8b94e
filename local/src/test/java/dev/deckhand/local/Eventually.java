package dev.deckhand.local;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls a value until it satisfies a condition or a deadline passes (for asynchronous deliveries). */
public final class Eventually {

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
