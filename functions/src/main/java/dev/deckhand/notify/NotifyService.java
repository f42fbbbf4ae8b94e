package dev.deckhand.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.json.DeckhandJson;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every outcome in the history, then reports it on every channel. Recording comes first
 * because promotion and rollback read it; a channel that fails is logged and reported in the
 * answer, and never turns the deployment's outcome into something else.
 */
public final class NotifyService {

    private static final Logger LOG = LoggerFactory.getLogger(NotifyService.class);

    private final DeploymentHistory history;
    private final List<NotificationChannel> channels;
    private final MetricsSink metrics;
    private final Clock clock;

    public NotifyService(DeploymentHistory history, List<NotificationChannel> channels, MetricsSink metrics,
            Clock clock) {
        this.history = history;
        this.channels = List.copyOf(channels);
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The answer of a "Report …" state: the outcome and what each channel did. */
    public record Delivery(Outcome outcome, String summary, Map<String, String> channels) {
    }

    public Delivery report(JsonNode event) {
        Instant now = clock.instant();
        DeploymentReport report = Reports.of(event, now);
        record(event, report, now);
        try {
            metrics.emit(OutcomeMetrics.of(report, event));
        } catch (RuntimeException e) {
            LOG.warn("Metrics for {} were not emitted: {}", report.deploymentId(), e.toString());
        }
        Map<String, String> results = new LinkedHashMap<>();
        String slackSecret = event.path("target").path("notifications").path("slackWebhookSecret").asText(null);
        for (NotificationChannel channel : channels) {
            try {
                results.put(channel.name(), channel.send(report, slackSecret) ? "sent" : "not configured");
            } catch (Exception e) {
                // The message of an SDK or HTTP error names no secret; the webhook URL is never in it.
                LOG.warn("Notification through {} failed: {}", channel.name(), e.toString());
                results.put(channel.name(), "failed: " + e.getClass().getSimpleName());
            }
        }
        LOG.info("{}", report.summary());
        return new Delivery(report.outcome(), report.summary(), results);
    }

    private void record(JsonNode event, DeploymentReport report, Instant now) {
        JsonNode claim = event.path("claim");
        if (report.deploymentId() == null || !"PROCEED".equals(claim.path("decision").asText())) {
            return; // IGNORED, DUPLICATE and rejected requests are not attempts of their own
        }
        ObjectNode details = DeckhandJson.MAPPER.createObjectNode();
        for (String step : List.of("timings", "release", "rollout", "health", "failure", "rollback", "rollbackFailure")) {
            JsonNode value = event.get(step);
            if (value != null && !value.isNull()) {
                details.set(step, value);
            }
        }
        int attempt = claim.path("attempt").asInt(1);
        // A later attempt of the same deployment is a deliberate rerun (the console's "New execution").
        String trigger = attempt > 1 ? "rerun" : report.trigger();
        history.finish(new AttemptRecord(report.deploymentId(), attempt, report.outcome(),
                report.service(), report.environment(), report.image(), report.tag(), trigger,
                report.requestedBy(), report.executionArn(), report.startedAt() == null ? now : report.startedAt(),
                now, report.summary(), details));
        if (report.outcome() == Outcome.SUCCEEDED) {
            JsonNode target = event.path("target");
            history.markVerified(report.service(), report.environment(), new VerifiedRevision(report.deploymentId(),
                    event.path("release").path("taskDefinition").asText(), report.image(), now,
                    VerifiedRevision.ecsService(target.path("cluster").asText(), target.path("ecsService").asText())));
        }
    }
}
