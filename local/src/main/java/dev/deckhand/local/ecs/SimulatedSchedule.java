package dev.deckhand.local.ecs;

import java.time.Instant;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * What happens next in simulated time. Nothing runs by itself: {@link #runUntil} performs every
 * action due by the observed instant, in time order (ties in the order scheduled), each told the
 * instant it was due so state and events carry that time rather than the time of observation.
 */
final class SimulatedSchedule {

    private record Entry(Instant due, long order, Consumer<Instant> action) {
    }

    private final PriorityQueue<Entry> entries = new PriorityQueue<>((a, b) -> {
        int byTime = a.due.compareTo(b.due);
        return byTime != 0 ? byTime : Long.compare(a.order, b.order);
    });
    private long scheduled;
    private volatile Consumer<Instant> onScheduled = due -> { };

    void at(Instant due, Consumer<Instant> action) {
        entries.add(new Entry(due, scheduled++, action));
        onScheduled.accept(due);
    }

    /** Told the instant of every action scheduled from now on, so someone can observe ECS then. */
    void onScheduled(Consumer<Instant> listener) {
        this.onScheduled = listener;
    }

    void runUntil(Instant now) {
        while (!entries.isEmpty() && !entries.peek().due.isAfter(now)) {
            Entry next = entries.poll();
            next.action.accept(next.due);
        }
    }
}
