package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.statemachine.clock.EngineClock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** The concurrency of Parallel branches and Map iterations: children on engine threads, results in order. */
final class ChildRuns {

    /**
     * Inline Map runs at most 40 iterations at a time whatever MaxConcurrency says
     * (https://docs.aws.amazon.com/step-functions/latest/dg/tutorial-get-started-map-iterate-items.html:
     * "Inline mode, which supports up to 40 concurrent iterations"). A Parallel state runs all its
     * branches at once (it passes its branch count).
     */
    static final int INLINE_MAP_CONCURRENCY = 40;

    private ChildRuns() {
    }

    /**
     * Runs {@code count} children (branches or iterations) on engine threads, at most
     * {@code maxConcurrency} at a time (0 = {@link #INLINE_MAP_CONCURRENCY}), and returns their results in order. The first
     * failure stops the others and is rethrown.
     */
    static List<JsonNode> run(EngineClock clock, Execution execution, int count, int maxConcurrency,
                              IntFunction<JsonNode> body) {
        if (count == 0) {
            return List.of();
        }
        ChildGroup group = new ChildGroup(clock, execution, count, body, clock.newSignal());
        int limit = Math.min(count, maxConcurrency <= 0 ? INLINE_MAP_CONCURRENCY : maxConcurrency);
        synchronized (group) {
            for (int i = 0; i < limit; i++) {
                group.startNext();
            }
        }
        try {
            clock.await(group.finished, null);
        } catch (InterruptedException e) {
            group.interruptAll();
            Thread.currentThread().interrupt();
            throw new Interpreter.Interrupted();
        }
        synchronized (group) {
            if (group.failure == null && !group.interrupted) {
                // A tolerated failed iteration of a Distributed Map leaves a null (List.of refuses nulls).
                return java.util.Collections.unmodifiableList(java.util.Arrays.asList(group.results));
            }
        }
        group.interruptAll();
        group.joinAll();
        if (group.failure != null) {
            throw group.failure;
        }
        throw new Interpreter.Interrupted();
    }

    private static final class ChildGroup {
        final EngineClock clock;
        final Execution execution;
        final int count;
        final IntFunction<JsonNode> body;
        final EngineClock.Signal finished;
        final JsonNode[] results;
        final List<EngineThreads.Worker> workers = new ArrayList<>();
        int next;
        int done;
        StatesError failure;
        boolean interrupted;

        ChildGroup(EngineClock clock, Execution execution, int count, IntFunction<JsonNode> body,
                   EngineClock.Signal finished) {
            this.clock = clock;
            this.execution = execution;
            this.count = count;
            this.body = body;
            this.finished = finished;
            this.results = new JsonNode[count];
        }

        /** Called with this group's lock held. */
        void startNext() {
            int index = next++;
            EngineClock.Activity activity = clock.beginActivity();
            workers.add(EngineThreads.start(execution, "deckhand-sfn-" + execution.name + "-child-" + index, () -> {
                try {
                    JsonNode result = body.apply(index);
                    synchronized (this) {
                        results[index] = result;
                    }
                } catch (Interpreter.Interrupted e) {
                    synchronized (this) {
                        interrupted = true;
                    }
                } catch (StatesError e) {
                    synchronized (this) {
                        if (failure == null) {
                            failure = e;
                        }
                    }
                } catch (RuntimeException e) {
                    synchronized (this) {
                        if (failure == null) {
                            failure = new StatesError(StatesError.RUNTIME, "Internal engine error: " + e);
                        }
                    }
                } finally {
                    synchronized (this) {
                        done++;
                        if (failure == null && !interrupted && next < count) {
                            startNext();
                        }
                        if (done == count || failure != null || interrupted) {
                            finished.raise();
                        }
                    }
                    activity.close();
                }
            }));
        }

        void interruptAll() {
            List<EngineThreads.Worker> snapshot;
            synchronized (this) {
                snapshot = List.copyOf(workers);
            }
            snapshot.forEach(EngineThreads.Worker::interrupt);
        }

        void joinAll() {
            List<EngineThreads.Worker> snapshot;
            synchronized (this) {
                snapshot = List.copyOf(workers);
            }
            for (EngineThreads.Worker worker : snapshot) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Interpreter.Interrupted();
                }
            }
        }
    }
}
