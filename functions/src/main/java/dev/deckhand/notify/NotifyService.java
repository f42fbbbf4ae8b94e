package dev.deckhand.notify;

import dev.deckhand.config.NotificationSettings;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.deployment.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports every outcome on every channel and emits its metrics. The history is written before, by
 * the "Record …" step (record/); a channel that fails is logged and reported in the answer, and
 * never turns the deployment's outcome into something else.
 */
public final class NotifyService {

    private static final Logger LOG = LoggerFactory.getLogger(NotifyService.class);

    private final List<NotificationChannel> channels;
    private final MetricsSink metrics;
    private final Clock clock;

    public NotifyService(List<NotificationChannel> channels, MetricsSink metrics, Clock clock) {
        this.channels = List.copyOf(channels);
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The answer of a "Report …" state: the outcome and what each channel did. */
    public record Delivery(Outcome outcome, String summary, Map<String, String> channels) {
    }

    public Delivery report(OutcomeInput input) {
        Instant now = clock.instant();
        DeploymentReport report = Reports.of(input, now);
        try {
            metrics.emit(OutcomeMetrics.of(report, input));
        } catch (RuntimeException e) {
            LOG.warn("Metrics for {} were not emitted: {}", report.deploymentId(), e.toString());
        }
        Map<String, String> results = new LinkedHashMap<>();
        NotificationSettings settings = settings(input.target());
        for (NotificationChannel channel : channels) {
            try {
                results.put(channel.name(), channel.send(report, settings) ? "sent" : "not configured");
            } catch (Exception e) {
                // The message of an SDK or HTTP error names no secret; the webhook URL is never in it.
                LOG.warn("Notification through {} failed: {}", channel.name(), e.toString());
                results.put(channel.name(), "failed: " + e.getClass().getSimpleName());
            }
        }
        LOG.info("{}", report.summary());
        return new Delivery(report.outcome(), report.summary(), results);
    }

    /** The environment's targets, as the resolved target carries them; none for an ignored or refused request. */
    private static NotificationSettings settings(DeploymentTarget target) {
        return target == null || target.notifications() == null ? NotificationSettings.NONE : target.notifications();
    }
}
