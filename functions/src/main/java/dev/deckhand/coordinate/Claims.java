package dev.deckhand.coordinate;

import dev.deckhand.history.ClaimRecord;
import java.util.Optional;

/**
 * Who runs a deployment id. Facts designed for (DESIGN.md, issue "The deployer"): EventBridge
 * delivers at least once; an ECR push with N tags emits N events for one digest; an EventBridge
 * rule cannot set the execution name, so Step Functions' name-based dedup never applies; a
 * redrive keeps the execution; a console "New execution" starts a new one with the same input.
 *
 * <ul>
 *   <li>No attempt yet: attempt 1.</li>
 *   <li>The latest attempt belongs to this execution: resume it (redrive, retried step).</li>
 *   <li>Another execution is running it: duplicate.</li>
 *   <li>It succeeded and its image still serves the target: duplicate.</li>
 *   <li>It succeeded but another image has been verified since: a new attempt (deliberate redeploy).</li>
 *   <li>It failed, was rolled back, superseded or aborted: a new attempt (deliberate retry).</li>
 * </ul>
 */
public final class Claims {

    private Claims() {
    }

    /**
     * @param latest the deployment's latest attempt, if any
     * @param stillServing the target's last verified deployment is this deployment id
     */
    public static ClaimDecision decide(Optional<ClaimRecord> latest, String executionArn, boolean stillServing) {
        if (latest.isEmpty()) {
            return new ClaimDecision.Proceed(1, false);
        }
        ClaimRecord record = latest.get();
        if (record.executionArn().equals(executionArn)) {
            return new ClaimDecision.Proceed(record.attempt(), true);
        }
        return switch (record.outcome()) {
            case RUNNING -> new ClaimDecision.Duplicate("attempt " + record.attempt() + " of this deployment is running",
                    record.executionArn());
            case SUCCEEDED -> stillServing
                    ? new ClaimDecision.Duplicate("this image already deployed successfully and still serves",
                            record.executionArn())
                    : new ClaimDecision.Proceed(record.attempt() + 1, false);
            default -> record.outcome().isRetryable()
                    ? new ClaimDecision.Proceed(record.attempt() + 1, false)
                    : new ClaimDecision.Duplicate("attempt " + record.attempt() + " ended " + record.outcome(),
                            record.executionArn());
        };
    }
}
