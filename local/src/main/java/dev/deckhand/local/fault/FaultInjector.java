package dev.deckhand.local.fault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Decides, for each request, which faults it gets. Rules can be added and cleared while the local
 * cloud runs; draws come from one seeded generator, so a single-threaded sequence of requests
 * gets the same faults on every run.
 */
public final class FaultInjector {

    /** What happens to one request: a delay, then possibly a failure instead of the answer. */
    public record Decision(Duration delay, Optional<FaultKind> failure) {
        public static final Decision NONE = new Decision(Duration.ZERO, Optional.empty());
    }

    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
    private final Random random;

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

    /**
     * Draws the faults for one request. Latencies of every firing LATENCY rule add up; the first
     * firing THROTTLE, SERVER_ERROR or DROP rule decides the failure.
     */
    public Decision decide(String service, String operation) {
        if (rules.isEmpty()) {
            return Decision.NONE;
        }
        Duration delay = Duration.ZERO;
        Optional<FaultKind> failure = Optional.empty();
        for (FaultRule rule : rules) {
            if (!rule.appliesTo(service, operation) || !fires(rule.rate())) {
                continue;
            }
            if (rule.kind() == FaultKind.LATENCY) {
                delay = delay.plus(rule.latency());
            } else if (failure.isEmpty()) {
                failure = Optional.of(rule.kind());
            }
        }
        return new Decision(delay, failure);
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
