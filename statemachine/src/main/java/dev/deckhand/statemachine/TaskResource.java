package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The code behind a Task state's Resource ARN.
 *
 * <p>Request-response and {@code .sync} resources return the task result (a {@code .sync}
 * resource blocks, or waits on the engine clock, until the job is done). For
 * {@code .waitForTaskToken} the return value is ignored: the task completes when someone calls
 * {@link StepFunctionsEngine#sendTaskSuccess} or {@link StepFunctionsEngine#sendTaskFailure} with
 * the invocation's token. Throw {@link StatesError} to fail the task with a chosen error name;
 * any other exception fails it with {@code States.TaskFailed}.
 */
@FunctionalInterface
public interface TaskResource {
    /** Runs the task and returns its result. */
    JsonNode invoke(TaskInvocation invocation) throws Exception;
}
