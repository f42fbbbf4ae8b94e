package dev.deckhand.statemachine;

import java.time.Instant;

/**
 * A snapshot of an execution, shaped like the DescribeExecution response
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html).
 *
 * @param output JSON text, present when SUCCEEDED
 * @param error  error name, present when FAILED, TIMED_OUT or ABORTED with an error
 * @param cause  error cause, when known
 */
public record ExecutionDescription(
        String executionArn,
        String stateMachineArn,
        String name,
        ExecutionStatus status,
        Instant startDate,
        Instant stopDate,
        String input,
        String output,
        String error,
        String cause,
        int redriveCount) {
}
