package dev.deckhand.statemachine.clock;

import java.time.Clock;
import java.time.Instant;

/**
 * The time source every Wait state, retry back-off and task timeout of the engine runs on.
 *
 * <p>Two implementations: {@link SimulatedClock} (time jumps to the next due timer as soon as every
 * participant is waiting, so a 1-hour Wait takes no real time and runs are deterministic) and
 * {@link RealTimeClock} (wall-clock time, for demos that should be watched).
 *
 * <p><b>Cooperating with simulated time.</b> Code outside the engine that shares the clock (for
 * example a simulated ECS rollout that completes at an instant) has three options:
 * <ul>
 *   <li>compute its state lazily from {@link #now()} / {@link #asJavaClock()} when asked (enough for
 *       a definition that polls with Wait loops);</li>
 *   <li>{@link #schedule(Instant, Runnable)} an action at a simulated instant (for example sending
 *       a task token back at the moment a rollout completes): time will not pass that instant before
 *       the action has run;</li>
 *   <li>hold an {@link #beginActivity() activity} while it works on another thread, so that time
 *       does not jump while it is busy (a callback sent from a thread the clock does not know about,
 *       without an activity, may arrive after simulated time has already moved on).</li>
 * </ul>
 */
public interface EngineClock {

    /** The current instant (simulated or real). */
    Instant now();

    /** This clock as a {@link java.time.Clock} (UTC), so other components share the very same time. */
    default Clock asJavaClock() {
        return new ClockView(this);
    }

    /** A new one-shot signal that a participant can {@link #await(Signal, Instant) await}. */
    Signal newSignal();

    /**
     * Blocks the calling participant until {@code signal} is raised or {@code deadline} is reached.
     *
     * @param deadline the instant to give up at, or {@code null} to wait for the signal only
     * @return {@code true} if the signal was raised, {@code false} if the deadline came first
     */
    boolean await(Signal signal, Instant deadline) throws InterruptedException;

    /** Blocks the calling participant until {@code instant}. */
    default void sleepUntil(Instant instant) throws InterruptedException {
        await(newSignal(), instant);
    }

    /**
     * Runs {@code action} (on its own thread) when the clock reaches {@code at}.
     *
     * @return a handle that cancels the action if it has not run yet
     */
    Activity schedule(Instant at, Runnable action);

    /**
     * Declares that the calling code is busy: simulated time does not advance until the returned
     * activity is closed. The engine opens one for each execution thread it starts.
     */
    Activity beginActivity();

    /**
     * Whether time stands still while any participant is busy ({@link SimulatedClock}): a deadline can
     * then only pass while its waiter waits on this clock, so work with a deadline may run on the
     * waiter's own thread (the engine runs a task handler with TimeoutSeconds so, instead of starting
     * a thread for it).
     */
    default boolean standsStillWhileBusy() {
        return false;
    }

    /**
     * Interrupts a participant's thread (for example a task whose deadline passed while it waits on
     * this clock). A simulated clock hands the thread back its busy state at once, so time cannot
     * move on before the interrupted participant has reacted.
     */
    default void interrupt(Thread participant) {
        participant.interrupt();
    }

    /** A one-shot event a participant can wait for; raising it twice is harmless. */
    interface Signal {
        /** Raises the signal, waking its waiter (if any). */
        void raise();

        /** Whether the signal has been raised. */
        boolean isRaised();
    }

    /** Something that ends when closed; closing twice is harmless. */
    interface Activity extends AutoCloseable {
        @Override
        void close();
    }
}
