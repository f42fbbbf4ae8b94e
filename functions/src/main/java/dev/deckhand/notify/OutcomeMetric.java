package dev.deckhand.notify;

import java.util.Map;

/**
 * One CloudWatch metric Deckhand emits for an outcome.
 *
 * @param unit {@code Count} or {@code Seconds}
 */
public record OutcomeMetric(String name, double value, String unit, Map<String, String> dimensions) {

    public OutcomeMetric {
        dimensions = Map.copyOf(dimensions);
    }
}
