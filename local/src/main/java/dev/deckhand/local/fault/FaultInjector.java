package dev.deckhand.local.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Decides, for each request, which faults it gets. Rules can be added and cleared while the local
 * cloud runs; draws come from one seeded generator, so a single-threaded sequence of requests
 * gets the same faults on every run. It also counts, per operation, the requests it decided on and
 * the faults it injected, so a test can tell which operations a system under test called and
 * whether each of them was actually hit.
 */
public final class FaultInjector {

    /** What happens to one request: a delay, then possibly a failure instead of the answer. */
    public record Decision(Duration delay, Optional<FaultKind> failure) {
        public static final Decision NONE = new Decision(Duration.ZERO, Optional.empty());
    }

    /** Requests one operation received, and how many of them got a fault (latency included). */
    public record OperationCount(String service, String operation, long requests, long faulted) {
    }

    private record Operation(String service, String operation) {
    }

    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
    private final Random random;
    /** Per operation: [requests, faulted]. */
    private final Map<Operation, AtomicLongArray> counts = new ConcurrentHashMap<>();

    public FaultInjector(long seed) {
        this.random = new Random(seed);
    }

    /** Adds a rule; rules are tried in the order they were added. */
    public void add(FaultRule rule) {
        rules.add(rule);
    }

    /** Removes every rule: requests are answered normally again. */
    public void clear() {
        rules.clear();
    }

    public List<FaultRule> rules() {
        return List.copyOf(rules);
    }

    /** What each operation received since the start or the last {@link #resetCounts()}. */
    public List<OperationCount> counts() {
        List<OperationCount> list = new ArrayList<>();
        counts.forEach((operation, count) -> list.add(new OperationCount(operation.service(), operation.operation(),
                count.get(0), count.get(1))));
        return list;
    }

    /** Forgets the counts, e.g. once set-up requests are done. */
    public void resetCounts() {
        counts.clear();
    }

    /**
     * Draws the faults for one request. Latencies of every firing LATENCY rule add up; the first
     * other firing rule decides the failure. Per-entry rules are left to {@link #decideEntry}.
     */
    public Decision decide(String service, String operation) {
        AtomicLongArray count = counts.computeIfAbsent(new Operation(service, operation), key -> new AtomicLongArray(2));
        count.incrementAndGet(0);
        if (rules.isEmpty()) {
            return Decision.NONE;
        }
        Duration delay = Duration.ZERO;
        Optional<FaultKind> failure = Optional.empty();
        for (FaultRule rule : rules) {
            if (rule.kind().perEntry() || !rule.appliesTo(service, operation) || !fires(rule.rate())) {
                continue;
            }
            if (rule.kind() == FaultKind.LATENCY) {
                delay = delay.plus(rule.latency());
            } else if (failure.isEmpty()) {
                failure = Optional.of(rule.kind());
            }
        }
        if (!delay.isZero() || failure.isPresent()) {
            count.incrementAndGet(1);
        }
        return new Decision(delay, failure);
    }

    /**
     * Draws the fault for one entry of a batch request (e.g. one PutEvents entry): the first firing
     * per-entry rule ({@link FaultKind#perEntry()}) decides it. Counted as a faulted request.
     */
    public Optional<FaultKind> decideEntry(String service, String operation) {
        for (FaultRule rule : rules) {
            if (rule.kind().perEntry() && rule.appliesTo(service, operation) && fires(rule.rate())) {
                counts.computeIfAbsent(new Operation(service, operation), key -> new AtomicLongArray(2))
                        .incrementAndGet(1);
                return Optional.of(rule.kind());
            }
        }
        return Optional.empty();
    }

    private boolean fires(double rate) {
        if (rate >= 1) {
            return true;
        }
        synchronized (random) {
            return random.nextDouble() < rate;
        }
    }
}
