package dev.deckhand.local.executions;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.deckhand.json.DeckhandJson;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

/** The deployment outcome an ended execution of the deployer stands for. */
public final class Outcomes {

    private Outcomes() {
    }

    /**
     * SUCCEEDED, IGNORED, DUPLICATE, SUPERSEDED… from a successful execution's output; ROLLED_BACK,
     * ROLLBACK_FAILED, REJECTED, EXPIRED or FAILED from the deployer's Fail states; otherwise the
     * execution's status.
     */
    public static String of(DescribeExecutionResponse execution) {
        if (execution.output() != null) {
            try {
                return DeckhandJson.MAPPER.readTree(execution.output()).path("outcome")
                        .asText(execution.statusAsString());
            } catch (JsonProcessingException e) {
                return execution.statusAsString();
            }
        }
        if ("Deckhand.RolledBack".equals(execution.error())) {
            return "ROLLED_BACK";
        }
        if ("Deckhand.RollbackFailed".equals(execution.error())) {
            return "ROLLBACK_FAILED";
        }
        // "Not approved": nothing changed.
        if ("Deckhand.Rejected".equals(execution.error())) {
            return "REJECTED";
        }
        if ("Deckhand.Expired".equals(execution.error())) {
            return "EXPIRED";
        }
        return execution.statusAsString();
    }

    /** Whether the outcome leaves the target as the push or promotion meant it to be, or untouched by design. */
    public static boolean isSuccess(String outcome) {
        return switch (outcome) {
            case "SUCCEEDED", "IGNORED", "DUPLICATE", "SUPERSEDED" -> true;
            default -> false;
        };
    }
}
