package dev.deckhand.local.aws;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One AWS service answered by the local cloud over the AWS JSON protocol: the SDK POSTs a JSON
 * body with the header {@code X-Amz-Target: <targetPrefix>.<Operation>}. ECS, ECR, SSM, Secrets
 * Manager, EventBridge, Step Functions and CloudWatch Logs all speak it.
 */
public interface JsonProtocolService {

    /** The {@code X-Amz-Target} prefix, e.g. {@code AmazonEC2ContainerServiceV20141113}. */
    String targetPrefix();

    /**
     * Answers one operation.
     *
     * @throws AwsErrorException for every error AWS documents for the operation, and
     *     {@link AwsErrorException#unsupportedOperation} for operations the local cloud does not know
     */
    JsonNode handle(String operation, JsonNode request);

    /**
     * The query-protocol code of one of this service's errors, for services whose model is
     * awsQueryCompatible (their JSON errors name the error shape; the header
     * {@code x-amzn-query-error} keeps the code their query clients know); null for the others.
     */
    default String queryErrorCode(String errorCode) {
        return null;
    }
}
