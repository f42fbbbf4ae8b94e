package dev.deckhand.local.ecs;

import java.time.Instant;

/**
 * One answer of a lifecycle hook, as the local ECS applied it (for tests and the demo: AWS shows
 * a hook's answers only through what the deployment does next).
 *
 * @param serviceDeploymentArn the service deployment whose stage invoked the hook
 * @param lifecycleStage e.g. {@code PRODUCTION_TRAFFIC_SHIFT}
 * @param at the simulated instant the answer was applied
 * @param productionPercent the new revision's share of production traffic when the hook answered
 * @param testPercent its share of test traffic
 * @param hookStatus SUCCEEDED, IN_PROGRESS, FAILED, or null when the answer had none
 * @param failure why the invocation itself failed, or null
 */
public record HookAnswerRecord(String serviceDeploymentArn, String lifecycleStage, Instant at,
                               double productionPercent, double testPercent, String hookStatus, String failure) {
}
