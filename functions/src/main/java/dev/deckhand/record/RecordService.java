package dev.deckhand.record;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.cleanup.RevisionCleanup;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.notify.DeploymentReport;
import dev.deckhand.notify.OutcomeInput;
import dev.deckhand.notify.Reports;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes an attempt's outcome to the history and, for a success, marks its release as the
 * environment's verified revision (what promotion and rollback read). It is a step of the
 * deployment: a failure here is retried and then fails the deployment, so a deployment never
 * ends SUCCEEDED without being recorded as verified. Reporting the outcome is notify's job.
 */
public final class RecordService {

    private final DeploymentHistory history;
    private final Clock clock;
    private final Optional<RevisionCleanup> cleanup;

    /** Without the task-definition cleanup. */
    public RecordService(DeploymentHistory history, Clock clock) {
        this(history, clock, Optional.empty());
    }

    public RecordService(DeploymentHistory history, Clock clock, Optional<RevisionCleanup> cleanup) {
        this.history = history;
        this.clock = clock;
        this.cleanup = cleanup;
    }

    /**
     * What a "Record …" state gets back.
     *
     * @param cleanup what the task-definition cleanup after a success did, or {@code null}
     */
    public record Recorded(Outcome outcome, boolean recorded, boolean verified, String cleanup) {
        public Recorded(Outcome outcome, boolean recorded, boolean verified) {
            this(outcome, recorded, verified, null);
        }
    }

    public Recorded record(OutcomeInput input) {
        Instant now = clock.instant();
        DeploymentReport report = Reports.of(input, now);
        if (report.deploymentId() == null || input.claim() == null || !input.claim().proceeds()) {
            return new Recorded(report.outcome(), false, false); // not an attempt of its own
        }
        ObjectNode details = input.steps().deepCopy();
        DeploymentTarget target = input.target();
        // When the request was made: for a push, when ECR received it (the start of the lead time).
        if (target.requestedAt() != null) {
            details.put("requestedAt", target.requestedAt().toString());
        }
        String release = input.release() == null ? "" : Objects.toString(input.release().taskDefinition(), "");
        String cluster = Objects.toString(target.cluster(), "");
        String ecsService = Objects.toString(target.ecsService(), "");
        // Before the attempt is written, so what the cleanup did is part of the recorded outcome; it never
        // fails, and it protects the release being verified as well as every environment's verified one.
        String cleanupNote = report.outcome() != Outcome.SUCCEEDED ? null : cleanup.map(each -> each.afterSuccess(
                report.service(), report.environment(), cluster, ecsService, release).note()).orElse(null);
        if (cleanupNote != null) {
            details.put("cleanup", cleanupNote);
        }
        int attempt = input.claim().attempt() == null ? 1 : input.claim().attempt();
        // A later attempt of the same deployment is a deliberate rerun (the console's "New execution"),
        // unless it is a rollback, which returns to a deployment that succeeded before by design.
        String trigger = attempt > 1 && !"rollback".equals(report.trigger()) ? "rerun" : report.trigger();
        history.finish(new AttemptRecord(report.deploymentId(), attempt, report.outcome(),
                report.service(), report.environment(), report.image(), report.tag(), trigger,
                report.requestedBy(), report.executionArn(), report.startedAt() == null ? now : report.startedAt(),
                now, report.summary(), details));
        if (report.outcome() != Outcome.SUCCEEDED) {
            return new Recorded(report.outcome(), true, false);
        }
        history.markVerified(report.service(), report.environment(), new VerifiedRevision(report.deploymentId(),
                release, report.image(), now, VerifiedRevision.ecsService(cluster, ecsService)));
        return new Recorded(report.outcome(), true, true, cleanupNote);
    }
}
