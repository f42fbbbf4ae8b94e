package dev.deckhand.notify;

import dev.deckhand.deployment.Outcome;
import dev.deckhand.metrics.DoraMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The metrics of an outcome, for the alarms and the dashboard: deployments by outcome per
 * environment, their duration, rollbacks, and health-check rounds.
 */
public final class OutcomeMetrics {

    public static final String DEPLOYMENTS = "Deployments";
    public static final String DURATION = "DeploymentDuration";
    public static final String ROLLBACKS = "Rollbacks";
    public static final String HEALTH_CHECK_ROUNDS = "HealthCheckRounds";
    /** DORA: attempts that changed the service, the failed ones among them, and push → verified. */
    public static final String CHANGES = "Changes";
    public static final String FAILED_CHANGES = "FailedChanges";
    public static final String LEAD_TIME = "LeadTime";

    /** Dimensions: per target, and for Deployments also per outcome (IGNORED has the outcome alone). */
    public static final String SERVICE = "Service";
    public static final String ENVIRONMENT = "Environment";
    public static final String OUTCOME = "Outcome";

    private OutcomeMetrics() {
    }

    public static List<OutcomeMetric> of(DeploymentReport report, OutcomeInput input) {
        List<OutcomeMetric> metrics = new ArrayList<>();
        if (report.outcome() == Outcome.AWAITING_APPROVAL) {
            return metrics; // a question to a person, not an outcome: counted once it is answered
        }
        Map<String, String> where = report.service() == null ? Map.of()
                : Map.of(SERVICE, report.service(), ENVIRONMENT, report.environment());
        Map<String, String> byOutcome = new java.util.HashMap<>(where);
        byOutcome.put(OUTCOME, report.outcome().name());
        metrics.add(new OutcomeMetric(DEPLOYMENTS, 1, "Count", byOutcome));
        boolean attempted = report.outcome() == Outcome.SUCCEEDED || report.outcome() == Outcome.FAILED
                || report.outcome() == Outcome.ROLLED_BACK || report.outcome() == Outcome.ROLLBACK_FAILED;
        if (attempted && report.startedAt() != null && report.finishedAt() != null && !where.isEmpty()) {
            metrics.add(new OutcomeMetric(DURATION, Duration.between(report.startedAt(), report.finishedAt()).toSeconds(),
                    "Seconds", where));
        }
        if ((report.outcome() == Outcome.ROLLED_BACK || report.outcome() == Outcome.ROLLBACK_FAILED) && !where.isEmpty()) {
            metrics.add(new OutcomeMetric(ROLLBACKS, 1, "Count", where));
        }
        if (!where.isEmpty() && DoraMetrics.changedTheService(report.outcome(), input.steps())) {
            metrics.add(new OutcomeMetric(CHANGES, 1, "Count", where));
            if (DoraMetrics.isFailedChange(report.outcome())) {
                metrics.add(new OutcomeMetric(FAILED_CHANGES, 1, "Count", where));
            }
        }
        leadTime(report, input).ifPresent(seconds -> metrics.add(new OutcomeMetric(LEAD_TIME, seconds, "Seconds", where)));
        int rounds = input.healthRounds() == null ? 0 : input.healthRounds();
        if (rounds > 0 && !where.isEmpty()) {
            metrics.add(new OutcomeMetric(HEALTH_CHECK_ROUNDS, rounds, "Count", where));
        }
        return metrics;
    }

    /**
     * Push (when ECR received it) → verified, for a deployment a push started; a promotion's push
     * happened in another environment, which only the history knows ({@code deckhand metrics}).
     */
    private static java.util.Optional<Long> leadTime(DeploymentReport report, OutcomeInput input) {
        if (report.outcome() != Outcome.SUCCEEDED || !"push".equals(report.trigger()) || report.service() == null) {
            return java.util.Optional.empty();
        }
        java.time.Instant pushed = input.target() == null ? null : input.target().requestedAt();
        java.time.Instant verified = input.verifiedAt();
        return pushed == null || verified == null || verified.isBefore(pushed) ? java.util.Optional.empty()
                : java.util.Optional.of(Duration.between(pushed, verified).toSeconds());
    }
}
