package dev.deckhand.deploy;

/**
 * Where ECS's service deployment stands (DescribeServiceDeployments, API_ServiceDeployment): its
 * status (PENDING, IN_PROGRESS, STOP_REQUESTED, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, or the
 * terminal SUCCESSFUL, STOPPED, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED — service-deployment), why,
 * and, after a rollback, why ECS rolled back (API_Rollback reason).
 *
 * @param lifecycleStage e.g. {@code POST_TEST_TRAFFIC_SHIFT}, or {@code null}
 * @param targetServiceRevisionArn the revision it deploys (API_ServiceDeployment targetServiceRevision.arn,
 *     the hook payload's targetServiceRevisionArn), or {@code null}
 */
public record ServiceDeploymentState(String status, String statusReason, String lifecycleStage,
        String rollbackReason, String targetServiceRevisionArn) {

    /** "… ended ROLLBACK_SUCCESSFUL: <reason>; rollback: <reason>", what an operator reads first. */
    public String describe() {
        return "service deployment " + status + (lifecycleStage == null ? "" : " at " + lifecycleStage)
                + (statusReason == null ? "" : ": " + statusReason)
                + (rollbackReason == null ? "" : "; ECS rolled back because: " + rollbackReason);
    }
}
