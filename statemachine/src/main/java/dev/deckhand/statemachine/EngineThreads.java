package dev.deckhand.statemachine;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The daemon threads executions, Parallel branches, Map iterations and timed task handlers run on,
 * reused across executions: starting a thread per execution cost more than running 20 states.
 *
 * <p>A pooled thread serves one {@link Worker} at a time. Stopping an execution interrupts its
 * workers, never their threads directly: a worker that has ended ignores the interrupt, so a stop
 * can never reach a thread that has since moved on to another execution.
 */
final class EngineThreads {

    // Unbounded on purpose: executions wait on the clock for one another (Map iterations, task
    // tokens), so a bounded pool could leave a waiter holding the thread its wake-up needs.
    private static final ExecutorService POOL = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "deckhand-sfn-idle");
        thread.setDaemon(true);
        return thread;
    });

    private EngineThreads() {
    }

    /**
     * Runs {@code body} on a pooled thread named {@code name}, as a worker of {@code execution}
     * (which {@link Execution#interrupt} reaches from now on, even before the thread picks it up).
     */
    static Worker start(Execution execution, String name, Runnable body) {
        Worker worker = new Worker();
        execution.workers.add(worker);
        POOL.execute(() -> {
            Thread thread = Thread.currentThread();
            thread.setName(name);
            worker.attach(thread);
            try {
                body.run();
            } finally {
                execution.workers.remove(worker);
                worker.detach();
                thread.setName("deckhand-sfn-idle");
            }
        });
        return worker;
    }

    /** One run of a body on a pooled thread: interrupts reach the thread only while the run lasts. */
    static final class Worker {
        private Thread thread;
        private boolean interruptRequested;
        private boolean ended;

        private synchronized void attach(Thread running) {
            thread = running;
            if (interruptRequested) {
                running.interrupt();
            }
        }

        /** Interrupts the run if it has not ended (if it has not started, it starts interrupted). */
        synchronized void interrupt() {
            if (ended) {
                return;
            }
            interruptRequested = true;
            if (thread != null) {
                thread.interrupt();
            }
        }

        /** Called by the run's own thread as it ends: later interrupts are ignored, a pending one cleared. */
        private synchronized void detach() {
            ended = true;
            thread = null;
            Thread.interrupted();
            notifyAll();
        }

        /** Waits until the run has ended. */
        synchronized void join() throws InterruptedException {
            while (!ended) {
                wait();
            }
        }
    }
}
