package dev.deckhand.local.aws;

import java.util.Map;

/**
 * One AWS service answered over the AWS query protocol: the SDK POSTs a form-encoded body with
 * {@code Action=<Operation>} and reads an XML answer. SNS speaks it.
 */
public interface QueryProtocolService {

    /** The service's SigV4 signing name (e.g. {@code sns}), which routes a request to it. */
    String signingName();

    /** The XML namespace of the service's answers, e.g. {@code http://sns.amazonaws.com/doc/2010-03-31/}. */
    String xmlNamespace();

    /**
     * Answers one action.
     *
     * @param parameters the form parameters, flattened as the query protocol sends them
     *     (e.g. {@code MessageAttributes.entry.1.Name})
     * @return the XML content of the {@code <ActionResult>} element (escaped; may be empty)
     * @throws AwsErrorException for every error AWS documents for the action
     */
    String handle(String action, Map<String, String> parameters);

    /**
     * Answers one action for the caller signing with {@code accessKeyId} (null when unsigned); STS
     * needs to know who asks, the other services do not.
     */
    default String handle(String action, Map<String, String> parameters, String accessKeyId) {
        return handle(action, parameters);
    }

    /** The error code of an IAM denial: SNS answers AuthorizationError (API reference, Publish: Errors). */
    default String accessDeniedCode() {
        return "AuthorizationError";
    }
}
