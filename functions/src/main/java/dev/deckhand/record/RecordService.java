package dev.deckhand.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.notify.DeploymentReport;
import dev.deckhand.notify.Reports;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Writes an attempt's outcome to the history and, for a success, marks its release as the
 * environment's verified revision (what promotion and rollback read). It is a step of the
 * deployment: a failure here is retried and then fails the deployment, so a deployment never
 * ends SUCCEEDED without being recorded as verified. Reporting the outcome is notify's job.
 */
public final class RecordService {

    private final DeploymentHistory history;
    private final Clock clock;

    public RecordService(DeploymentHistory history, Clock clock) {
        this.history = history;
        this.clock = clock;
    }

    /** What a "Record …" state gets back. */
    public record Recorded(Outcome outcome, boolean recorded, boolean verified) {
    }

    public Recorded record(JsonNode event) {
        Instant now = clock.instant();
        DeploymentReport report = Reports.of(event, now);
        JsonNode claim = event.path("claim");
        if (report.deploymentId() == null || !"PROCEED".equals(claim.path("decision").asText())) {
            return new Recorded(report.outcome(), false, false); // not an attempt of its own
        }
        ObjectNode details = DeckhandJson.MAPPER.createObjectNode();
        for (String step : List.of("timings", "release", "rollout", "health", "failure", "rollback", "rollbackFailure")) {
            JsonNode value = event.get(step);
            if (value != null && !value.isNull()) {
                details.set(step, value);
            }
        }
        // When the request was made: for a push, when ECR received it (the start of the lead time).
        JsonNode requestedAt = event.path("target").get("requestedAt");
        if (requestedAt != null && requestedAt.isTextual()) {
            details.put("requestedAt", requestedAt.asText());
        }
        int attempt = claim.path("attempt").asInt(1);
        // A later attempt of the same deployment is a deliberate rerun (the console's "New execution").
        String trigger = attempt > 1 ? "rerun" : report.trigger();
        history.finish(new AttemptRecord(report.deploymentId(), attempt, report.outcome(),
                report.service(), report.environment(), report.image(), report.tag(), trigger,
                report.requestedBy(), report.executionArn(), report.startedAt() == null ? now : report.startedAt(),
                now, report.summary(), details));
        if (report.outcome() != Outcome.SUCCEEDED) {
            return new Recorded(report.outcome(), true, false);
        }
        JsonNode target = event.path("target");
        history.markVerified(report.service(), report.environment(), new VerifiedRevision(report.deploymentId(),
                event.path("release").path("taskDefinition").asText(), report.image(), now,
                VerifiedRevision.ecsService(target.path("cluster").asText(), target.path("ecsService").asText())));
        return new Recorded(report.outcome(), true, true);
    }
}
