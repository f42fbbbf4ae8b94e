package dev.deckhand.local.gateway;

import dev.deckhand.local.aws.AwsErrorException;

/** The errors each service answers when a fault is injected, with the codes the SDK retries. */
final class FaultErrors {

    private static final String DYNAMODB = "DynamoDB_20120810";
    private static final String SNS = "sns";

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

    private FaultErrors() {
    }
}
