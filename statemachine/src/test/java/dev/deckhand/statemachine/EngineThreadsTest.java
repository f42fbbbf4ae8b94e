package dev.deckhand.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Pooled engine threads: a stop reaches the run it was meant for, never a later run on the same thread. */
class EngineThreadsTest {

    @Test
    void aStopMeantForAnEndedRunDoesNotReachTheNextRunOnTheSameThread() throws Exception {
        Execution stopped = execution("stopped");
        AtomicReference<Thread> firstThread = new AtomicReference<>();
        EngineThreads.Worker first = EngineThreads.start(stopped, "first",
                () -> firstThread.set(Thread.currentThread()));
        first.join();

        // Start runs of another execution until one lands on the first run's (now idle) thread.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<Thread> thread = new AtomicReference<>();
            AtomicBoolean interrupted = new AtomicBoolean();
            EngineThreads.Worker next = EngineThreads.start(execution("running"), "next", () -> {
                thread.set(Thread.currentThread());
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            boolean reused = thread.get() == firstThread.get();
            if (reused) {
                first.interrupt();
                stopped.interrupt(ExecutionStatus.ABORTED);
            }
            release.countDown();
            next.join();
            if (reused) {
                assertThat(interrupted).as("the next run on the reused thread was interrupted").isFalse();
                return;
            }
            assertThat(System.nanoTime()).as("an idle pooled thread was never reused").isLessThan(deadline);
        }
    }

    @Test
    void stoppingAnExecutionInterruptsItsRunningWorker() throws Exception {
        Execution execution = execution("stop-me");
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        EngineThreads.Worker worker = EngineThreads.start(execution, "worker", () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        execution.interrupt(ExecutionStatus.ABORTED);
        worker.join();
        assertThat(interrupted).isTrue();
        assertThat(execution.workers).isEmpty();
    }

    private static Execution execution(String name) {
        return new Execution("arn:aws:states:us-east-1:123456789012:execution:test:" + name, name,
                "arn:aws:states:us-east-1:123456789012:stateMachine:test", "test", null,
                Json.MAPPER.createObjectNode(), Instant.EPOCH);
    }
}
