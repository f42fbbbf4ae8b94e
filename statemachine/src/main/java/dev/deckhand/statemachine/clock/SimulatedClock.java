package dev.deckhand.statemachine.clock;

import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Simulated time: it stands still while any participant is busy and jumps to the next due timer
 * the moment every participant is waiting. Waits, back-offs and timeouts therefore take no real
 * time, and the order in which timers fire is fully determined by their instants (ties fire in the
 * order they were set; waiters due at the same instant are released together, a scheduled action
 * runs alone in its turn).
 *
 * <p>A participant is an open {@link Activity}: each execution thread of the engine, each
 * {@link #schedule scheduled action} while it runs, and anything an outside party opens with
 * {@link #beginActivity()}. Only participants may {@link #await} (a task handler running on an
 * execution thread is one). A participant blocked in {@link #await} is not busy; the party that
 * raises its signal hands it back its busy state atomically, so time cannot slip past a wake-up.
 */
public final class SimulatedClock implements EngineClock {

    // One lock, and a condition per waiting signal: a wake-up wakes its own waiter only, so a fan-out of
    // a thousand waiting executions does not wake all of them for each one that may continue.
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final java.util.Map<Thread, SimulatedSignal> waiters = new java.util.HashMap<>();
    private volatile Instant now;
    private long sequence;
    private int busy;

    /** A simulated clock that starts at {@code start}. */
    public SimulatedClock(Instant start) {
        this.now = start;
    }

    /** A simulated clock that starts at the current wall-clock instant (truncated to milliseconds). */
    public SimulatedClock() {
        this(Instant.ofEpochMilli(System.currentTimeMillis()));
    }

    @Override
    public Instant now() {
        return now; // written under the lock; volatile, so readers need not take it
    }

    @Override
    public boolean standsStillWhileBusy() {
        return true;
    }

    @Override
    public void interrupt(Thread participant) {
        lock.lock();
        try {
            SimulatedSignal waited = waiters.get(participant);
            if (waited != null && waited.waiting) {
                // Busy again before it wakes, as when its signal is raised: time stays at this instant.
                waited.waiting = false;
                busy++;
            }
            participant.interrupt();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Signal newSignal() {
        return new SimulatedSignal();
    }

    @Override
    public boolean await(Signal signal, Instant deadline) throws InterruptedException {
        SimulatedSignal waited = (SimulatedSignal) signal;
        lock.lock();
        try {
            if (waited.raised) {
                return true;
            }
            if (busy <= 0) {
                throw new IllegalStateException("Only a participant of the simulated clock may wait on it: open an "
                        + "activity with beginActivity() first, or use schedule() to act at an instant");
            }
            if (deadline != null && !deadline.isAfter(now)) {
                return false;
            }
            Timer timer = deadline == null ? null : addTimer(deadline, waited, null);
            waited.waiting = true;
            waiters.put(Thread.currentThread(), waited);
            busy--;
            advanceIfIdle();
            try {
                while (waited.waiting) {
                    waited.wakeUp.await();
                }
            } catch (InterruptedException e) {
                if (waited.waiting) {
                    waited.waiting = false;
                    busy++;
                }
                throw e;
            } finally {
                waiters.remove(Thread.currentThread());
                if (timer != null) {
                    timer.cancelled = true;
                }
            }
            return waited.raised;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Activity schedule(Instant at, Runnable action) {
        lock.lock();
        try {
            Timer timer = addTimer(at.isBefore(now) ? now : at, null, action);
            return () -> {
                lock.lock();
                try {
                    timer.cancelled = true;
                } finally {
                    lock.unlock();
                }
            };
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Activity beginActivity() {
        lock.lock();
        try {
            busy++;
        } finally {
            lock.unlock();
        }
        return new BusyActivity();
    }

    /** How many participants are busy right now (for diagnostics and tests). */
    public int busyParticipants() {
        lock.lock();
        try {
            return busy;
        } finally {
            lock.unlock();
        }
    }

    private Timer addTimer(Instant at, SimulatedSignal signal, Runnable action) {
        Timer timer = new Timer(at, sequence++, signal, action);
        timers.add(timer);
        return timer;
    }

    /**
     * Called with the lock held whenever a participant stops being busy. Jumps to the next timer;
     * waiters whose timers are due at that same instant are all released together (a thousand
     * executions waiting for the same instant run side by side, not one after another), while a
     * scheduled action still runs alone, in its turn, before anything set after it.
     */
    private void advanceIfIdle() {
        while (busy == 0 && !timers.isEmpty()) {
            Timer next = timers.poll();
            if (next.cancelled) {
                continue;
            }
            if (next.at.isAfter(now)) {
                now = next.at;
            }
            fire(next);
            if (next.signal != null) {
                while (!timers.isEmpty() && !timers.peek().at.isAfter(now)
                        && (timers.peek().cancelled || timers.peek().signal != null)) {
                    Timer due = timers.poll();
                    if (!due.cancelled) {
                        fire(due);
                    }
                }
            }
        }
    }

    private void fire(Timer timer) {
        if (timer.signal != null) {
            if (timer.signal.waiting) {
                timer.signal.waiting = false;
                busy++;
                timer.signal.wakeUp.signal();
            }
        } else {
            busy++;
            startAction(timer.action);
        }
    }

    private void startAction(Runnable action) {
        Thread thread = new Thread(() -> {
            try {
                action.run();
            } finally {
                endBusy();
            }
        }, "deckhand-clock-action");
        thread.setDaemon(true);
        thread.start();
    }

    private void endBusy() {
        lock.lock();
        try {
            busy--;
            advanceIfIdle();
        } finally {
            lock.unlock();
        }
    }

    private final class BusyActivity implements Activity {
        private boolean closed;

        @Override
        public void close() {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                busy--;
                advanceIfIdle();
            } finally {
                lock.unlock();
            }
        }
    }

    private final class SimulatedSignal implements Signal {
        private final Condition wakeUp = lock.newCondition();
        private boolean raised;
        private boolean waiting;

        @Override
        public void raise() {
            lock.lock();
            try {
                if (raised) {
                    return;
                }
                raised = true;
                if (waiting) {
                    // Hand the waiter its busy state before it wakes, so time cannot advance in between.
                    waiting = false;
                    busy++;
                    wakeUp.signal();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean isRaised() {
            lock.lock();
            try {
                return raised;
            } finally {
                lock.unlock();
            }
        }
    }

    private static final class Timer implements Comparable<Timer> {
        final Instant at;
        final long sequence;
        final SimulatedSignal signal;
        final Runnable action;
        boolean cancelled;

        Timer(Instant at, long sequence, SimulatedSignal signal, Runnable action) {
            this.at = at;
            this.sequence = sequence;
            this.signal = signal;
            this.action = action;
        }

        @Override
        public int compareTo(Timer other) {
            int byInstant = at.compareTo(other.at);
            return byInstant != 0 ? byInstant : Long.compare(sequence, other.sequence);
        }
    }
}
