package dev.deckhand.hook;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deckhand.config.HealthCheckSettings;

/**
 * What Deckhand's lifecycle hook needs to judge a revision, carried by ECS itself: UpdateService
 * sets it as the hook's {@code hookDetails}, and an IN_PROGRESS answer returns it with the round
 * reached, which ECS passes to the next invocation ("Passing state with hookDetails",
 * lambda-lifecycle-hooks). So the hook keeps no state of its own between invocations.
 *
 * @param image the pinned image URI the new revision runs (whose digest healthy answers may name)
 * @param testUrl where the test listener answers, or {@code null} when the load balancer has none
 * @param round the round this invocation makes (1 when ECS sends the details UpdateService set)
 * @param step which stage and traffic step the rounds counted so far belong to (ECS's executionId,
 *     the stage, the new revision's share of production traffic); a new step starts again at round 1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HookDetails(
        String deploymentId,
        String image,
        HealthCheckSettings healthCheck,
        String testUrl,
        Integer round,
        String step) {

    /** The details for the next invocation of the same step. */
    HookDetails next(String currentStep, int currentRound) {
        return new HookDetails(deploymentId, image, healthCheck, testUrl, currentRound + 1, currentStep);
    }

    /** The round this invocation makes at {@code currentStep}. */
    int roundAt(String currentStep) {
        return round == null || !currentStep.equals(step) ? 1 : round;
    }
}
