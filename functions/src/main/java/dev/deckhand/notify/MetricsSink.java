package dev.deckhand.notify;

import java.util.List;

/** Where outcome metrics go: CloudWatch (embedded metric format) on AWS. */
@FunctionalInterface
public interface MetricsSink {

    void emit(List<OutcomeMetric> metrics);
}
