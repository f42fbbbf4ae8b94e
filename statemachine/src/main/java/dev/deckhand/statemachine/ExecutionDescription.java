package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A snapshot of an execution, shaped like the DescribeExecution response
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html).
 *
 * @param output JSON text, present when SUCCEEDED
 * @param error  error name, present when FAILED, TIMED_OUT or ABORTED with an error
 * @param cause  error cause, when known
 * @param redriveDate when the execution was last redriven, or {@code null} if never
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
        int redriveCount,
        Instant redriveDate) {

    /** The DescribeExecution response body (dates in epoch seconds, as the JSON protocol sends them). */
    public ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("executionArn", executionArn);
        node.put("stateMachineArn", stateMachineArn);
        node.put("name", name);
        node.put("status", status.name());
        node.put("startDate", startDate.toEpochMilli() / 1000.0);
        if (stopDate != null) {
            node.put("stopDate", stopDate.toEpochMilli() / 1000.0);
        }
        node.put("input", input);
        node.putObject("inputDetails").put("included", true);
        if (output != null) {
            node.put("output", output);
            node.putObject("outputDetails").put("included", true);
        }
        if (error != null) {
            node.put("error", error);
        }
        if (cause != null) {
            node.put("cause", cause);
        }
        node.put("redriveCount", redriveCount);
        if (redriveDate != null) {
            node.put("redriveDate", redriveDate.toEpochMilli() / 1000.0);
        }
        boolean redrivable = status == ExecutionStatus.FAILED || status == ExecutionStatus.TIMED_OUT
                || status == ExecutionStatus.ABORTED;
        node.put("redriveStatus", redrivable ? "REDRIVABLE" : "NOT_REDRIVABLE");
        return node;
    }
}
