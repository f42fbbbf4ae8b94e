package dev.deckhand.aws;

import dev.deckhand.notify.MetricsSink;
import dev.deckhand.notify.OutcomeMetric;
import java.util.List;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Writes outcome metrics in CloudWatch's embedded metric format through Powertools Metrics, one
 * metric per record so each keeps its own dimensions. The namespace is
 * {@code POWERTOOLS_METRICS_NAMESPACE}, {@value #DEFAULT_NAMESPACE} when unset.
 */
public final class PowertoolsMetricsSink implements MetricsSink {

    static final String DEFAULT_NAMESPACE = "Deckhand";

    private final Metrics metrics = MetricsFactory.getMetricsInstance();
    private final String namespace;

    public PowertoolsMetricsSink() {
        String configured = System.getenv("POWERTOOLS_METRICS_NAMESPACE");
        this.namespace = configured == null || configured.isBlank() ? DEFAULT_NAMESPACE : configured;
    }

    @Override
    public void emit(List<OutcomeMetric> outcomeMetrics) {
        for (OutcomeMetric metric : outcomeMetrics) {
            DimensionSet dimensions = new DimensionSet();
            metric.dimensions().forEach(dimensions::addDimension);
            metrics.flushSingleMetric(metric.name(), metric.value(),
                    "Seconds".equals(metric.unit()) ? MetricUnit.SECONDS : MetricUnit.COUNT, namespace, dimensions);
        }
    }
}
