package dev.deckhand.local.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Sums the wall time of every AWS SDK call made in this JVM, from the SDK's first hook
 * ({@code beforeExecution}) to its last ({@code afterExecution} or {@code onExecutionFailure}):
 * marshalling, signing, the HTTP round trip to the local cloud (and the local cloud's own work,
 * which runs in the same JVM), unmarshalling.
 *
 * <p>Registered for every client as a global interceptor: the SDK reads class names from the
 * classpath resource {@code software/amazon/awssdk/global/handlers/execution.interceptors}
 * (javadoc of {@code ExecutionInterceptor}, "Global Interceptors"). That file lives in
 * {@code local/src/test/bench-resources}, which only {@link BenchmarkSuite} puts on the
 * orchestration benchmark's classpath, so tests never load this class.
 */
public final class SdkCallTimer implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("DeckhandBenchStarted");
    private static final LongAdder NANOS = new LongAdder();
    private static final LongAdder CALLS = new LongAdder();
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /** Called by the SDK (once per client built). */
    public SdkCallTimer() {
        INSTANCES.incrementAndGet();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(attributes);
    }

    private static void record(ExecutionAttributes attributes) {
        Long started = attributes.getAttribute(STARTED);
        if (started != null) {
            NANOS.add(System.nanoTime() - started);
            CALLS.increment();
        }
    }

    /** Whether the SDK has loaded this interceptor for at least one client. */
    static boolean registered() {
        return INSTANCES.get() > 0;
    }

    /** Total nanoseconds in SDK calls since the last {@link #reset()}. */
    static long nanos() {
        return NANOS.sum();
    }

    /** SDK calls since the last {@link #reset()}. */
    static long calls() {
        return CALLS.sum();
    }

    static void reset() {
        NANOS.reset();
        CALLS.reset();
    }
}
