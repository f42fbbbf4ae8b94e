package dev.deckhand.deploy;

/**
 * One entry of an ECS service's {@code deployments[]}, as far as Deckhand needs it.
 *
 * @param status {@code PRIMARY} (the newest), {@code ACTIVE} (still running tasks) or {@code INACTIVE}
 * @param rolloutState {@code IN_PROGRESS}, {@code COMPLETED} or {@code FAILED}; {@code null} when ECS
 *     does not report it (deployment types other than rolling update)
 */
public record EcsDeployment(
        String id,
        String taskDefinitionArn,
        String status,
        String rolloutState,
        String rolloutStateReason,
        int desiredCount,
        int runningCount,
        int failedTasks) {

    public boolean isPrimary() {
        return "PRIMARY".equals(status);
    }
}
