package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a {@link TaskResource} is asked to do.
 *
 * @param resource      the state's Resource, e.g. {@code arn:aws:states:::lambda:invoke.waitForTaskToken}
 * @param arguments     the effective arguments (JSONata {@code Arguments} or JSONPath {@code Parameters})
 * @param taskToken     the token to send back with sendTaskSuccess/Failure, for {@code .waitForTaskToken};
 *                      {@code null} otherwise
 * @param executionArn  the execution running the task
 * @param stateName     the Task state's name
 */
public record TaskInvocation(String resource, JsonNode arguments, String taskToken, String executionArn,
                             String stateName) {
}
