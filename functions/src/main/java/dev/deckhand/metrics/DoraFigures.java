package dev.deckhand.metrics;

import java.time.Duration;
import java.time.Instant;

/**
 * The four DORA metrics of one service in one environment over [{@code from}, {@code to}).
 *
 * @param deployments successful deployments (outcome SUCCEEDED) that finished in the period
 * @param deploymentsPerDay {@code deployments} over the period's length in days
 * @param medianLeadTime median of image pushed (ECR) → verified in this environment, over the
 *     successful deployments whose push Deckhand saw; {@code null} without one
 * @param leadTimeSamples how many deployments the lead time is the median of
 * @param changes attempts that changed the service (its rollout started), in the period
 * @param failedChanges of those, the ones that ended FAILED, ROLLED_BACK or ROLLBACK_FAILED
 * @param changeFailureRate {@code failedChanges / changes}; {@code null} without changes
 * @param medianTimeToRestore median of a failed change → the next successful deployment;
 *     {@code null} when no failed change has been followed by a success yet
 * @param restored failed changes followed by a success (the samples of the time to restore)
 * @param unrestored failed changes not followed by a success before {@code to}
 */
public record DoraFigures(
        String service,
        String environment,
        Instant from,
        Instant to,
        int deployments,
        double deploymentsPerDay,
        Duration medianLeadTime,
        int leadTimeSamples,
        int changes,
        int failedChanges,
        Double changeFailureRate,
        Duration medianTimeToRestore,
        int restored,
        int unrestored) {
}
