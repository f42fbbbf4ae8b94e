package dev.deckhand.hook;

import java.util.Optional;

/**
 * The hook's last verdict per target service revision. ECS keeps only a hook's status, never its
 * answer's text (API_DeploymentLifecycleHookDetail; API_ServiceDeployment's statusReason is ECS's
 * own), so the hook writes why it answered FAILED here and "Check the rollout" reads it when ECS
 * reports the rollback.
 */
public interface HookAnswers {

    /** Keeps {@code answer} as the last one the hook gave for {@code targetServiceRevisionArn}. */
    void record(String targetServiceRevisionArn, String answer);

    /** The last answer kept for {@code targetServiceRevisionArn}, if any. */
    Optional<String> last(String targetServiceRevisionArn);
}
