package dev.deckhand.local.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.aws.AwsErrorException;
import dev.deckhand.local.fault.FaultKind;
import java.util.ArrayList;
import java.util.List;

/** The errors each service answers when a fault is injected, with the codes the SDK retries. */
final class FaultErrors {

    private static final String DYNAMODB = "DynamoDB_20120810";
    private static final String SNS = "sns";
    private static final ObjectMapper JSON = new ObjectMapper();

    static AwsErrorException throttling(String service, String operation) {
        String message = "Rate exceeded (fault injected by the Deckhand local cloud on " + service + "." + operation + ")";
        return switch (service) {
            // DynamoDB's data plane throttles with ProvisionedThroughputExceededException (DynamoDB API
            // reference, "Common errors" / each operation's errors).
            case DYNAMODB -> new AwsErrorException(400, "ProvisionedThroughputExceededException", message);
            // SNS models ThrottledException with the code "Throttled" and HTTP 429 (SNS API reference).
            case SNS -> new AwsErrorException(429, "Throttled", message);
            // SSM, Secrets Manager, EventBridge, ECS, ECR: the common ThrottlingException (400).
            default -> new AwsErrorException(400, "ThrottlingException", message);
        };
    }

    static AwsErrorException serverError(String service, String operation) {
        String message = "Internal error (fault injected by the Deckhand local cloud on " + service + "." + operation + ")";
        return switch (service) {
            case DYNAMODB -> new AwsErrorException(500, "InternalServerError", message);
            case SNS -> new AwsErrorException(500, "InternalError", message);
            default -> new AwsErrorException(500, "InternalFailure", message);
        };
    }

    /**
     * DynamoDB's TransactionConflictException (400) on a plain write: "Operation was rejected because
     * there is an ongoing transaction for the item" (DynamoDB API reference, PutItem/UpdateItem errors).
     */
    static AwsErrorException transactionConflict(String service, String operation) {
        return new AwsErrorException(400, "TransactionConflictException", "Transaction is ongoing for the item "
                + "(fault injected by the Deckhand local cloud on " + service + "." + operation + ")");
    }

    /**
     * A TransactWriteItems cancelled for {@code kind}'s reason, in DynamoDB's shape: one
     * CancellationReason per action, the injected one on the first and {@code None} on the others,
     * with the codes and messages the TransactWriteItems reference lists ("Cancellation reason codes
     * and possible error messages").
     */
    static ObjectNode transactionCancelled(FaultKind kind, int actions) {
        String code;
        String message;
        switch (kind) {
            case CANCEL_CONDITIONAL_CHECK_FAILED -> {
                code = "ConditionalCheckFailed";
                message = "The conditional request failed";
            }
            case CANCEL_TRANSACTION_CONFLICT -> {
                code = "TransactionConflict";
                message = "Transaction is ongoing for the item";
            }
            case CANCEL_THROTTLING_ERROR -> {
                code = "ThrottlingError";
                message = "Throughput exceeds the current capacity of your table or index.";
            }
            case CANCEL_PROVISIONED_THROUGHPUT_EXCEEDED -> {
                code = "ProvisionedThroughputExceeded";
                message = "The level of configured provisioned throughput for the table was exceeded.";
            }
            case CANCEL_VALIDATION_ERROR -> {
                code = "ValidationError";
                message = "One or more parameter values were invalid (fault injected by the Deckhand local cloud)";
            }
            default -> throw new IllegalArgumentException(kind + " does not cancel a transaction");
        }
        ObjectNode body = JSON.createObjectNode().put("__type", "TransactionCanceledException");
        ArrayNode reasons = JSON.createArrayNode();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < actions; i++) {
            if (i == 0) {
                reasons.addObject().put("Code", code).put("Message", message);
                codes.add(code);
            } else {
                reasons.addObject().put("Code", "None");
                codes.add("None");
            }
        }
        body.put("message", "Transaction cancelled, please refer cancellation reasons for specific reasons "
                + codes);
        body.set("CancellationReasons", reasons);
        return body;
    }

    private FaultErrors() {
    }
}
