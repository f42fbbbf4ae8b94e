package dev.deckhand.statemachine.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Wall-clock time: Wait states and back-offs really wait. */
public final class RealTimeClock implements EngineClock {

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public Signal newSignal() {
        return new LatchSignal();
    }

    @Override
    public boolean await(Signal signal, Instant deadline) throws InterruptedException {
        LatchSignal latch = (LatchSignal) signal;
        if (deadline == null) {
            latch.latch.await();
            return true;
        }
        long nanos = Duration.between(Instant.now(), deadline).toNanos();
        return latch.latch.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    @Override
    public Activity schedule(Instant at, Runnable action) {
        LatchSignal cancelled = new LatchSignal();
        Thread thread = new Thread(() -> {
            try {
                if (!await(cancelled, at)) {
                    action.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "deckhand-clock-action");
        thread.setDaemon(true);
        thread.start();
        return cancelled::raise;
    }

    @Override
    public Activity beginActivity() {
        return () -> { };
    }

    private static final class LatchSignal implements Signal {
        private final CountDownLatch latch = new CountDownLatch(1);

        @Override
        public void raise() {
            latch.countDown();
        }

        @Override
        public boolean isRaised() {
            return latch.getCount() == 0;
        }
    }
}
