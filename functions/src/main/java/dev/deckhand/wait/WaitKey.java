package dev.deckhand.wait;

/**
 * What a wait is keyed by: the ECS deployment id of a rollout, the task ARN of a migration —
 * never the service alone, so the event of another deployment of the same service wakes nobody.
 */
public final class WaitKey {

    /** The kind of a rollout's wait ({@link #kind}). */
    public static final String ROLLOUT = "ROLLOUT";
    /** The kind of a one-off task's wait. */
    public static final String TASK = "TASK";

    private WaitKey() {
    }

    /** An ECS service deployment, by its id ({@code ecs-svc/…}), as ECS Deployment State Change events carry it. */
    public static String rollout(String ecsDeploymentId) {
        return ROLLOUT + "#" + require(ecsDeploymentId, "ECS deployment id");
    }

    /** A one-off task, by its ARN, as ECS Task State Change events carry it. */
    public static String task(String taskArn) {
        return TASK + "#" + require(taskArn, "task ARN");
    }

    /** {@link #ROLLOUT} or {@link #TASK}: which judge a wait's events go to. */
    public static String kind(String key) {
        return key.substring(0, Math.max(0, key.indexOf('#')));
    }

    private static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a wait needs the " + what + " it waits for");
        }
        return value;
    }
}
