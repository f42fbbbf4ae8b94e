package dev.deckhand.aws;

import dev.deckhand.errors.AwsRequestRejectedException;
import dev.deckhand.errors.TransientAwsException;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Runs an SDK call and turns what escapes the SDK's own retries into Deckhand's two named
 * errors: {@link TransientAwsException} (throttling, 5xx, network; the state machine retries it)
 * and {@link AwsRequestRejectedException} (any other 4xx; it never will). Adapters catch the
 * modelled exceptions they give a meaning to (e.g. ServiceNotFoundException) before this.
 */
final class AwsCalls {

    /**
     * 4xx answers that pass: DynamoDB's TransactionConflictException, "Operation was rejected because
     * there is an ongoing transaction for the item" (DynamoDB API reference, PutItem/UpdateItem/
     * DeleteItem errors); the write succeeds once the other transaction is done.
     */
    private static final Set<String> TRANSIENT_CODES = Set.of("TransactionConflictException");

    private AwsCalls() {
    }

    /** The error code AWS answered (without any {@code namespace#}), or null when it named none. */
    static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    /** Whether AWS answered with one of these modelled errors: how adapters give an error a meaning. */
    static boolean isError(AwsServiceException e, String... codes) {
        String code = errorCode(e);
        for (String each : codes) {
            if (each.equals(code)) {
                return true;
            }
        }
        return false;
    }

    /** "Code: message" as AWS answered them, or the exception's message when it named no code. */
    static String detail(AwsServiceException e) {
        return e.awsErrorDetails() == null ? e.getMessage()
                : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
    }

    /**
     * Like {@link #call}, for a call naming a task-definition revision Deckhand registered moments
     * before (RunTask, UpdateService). API_RunTask: "The Amazon ECS API follows an eventual
     * consistency model … the result of an API command you run that affects your Amazon ECS
     * resources might not be immediately visible to all subsequent commands you run", so ECS may
     * answer that the revision does not exist (aws/amazon-ecs-agent#1354). That answer is transient
     * here: the state machine retries it with backoff, as the reference advises.
     */
    static <T> T callWithNewRevision(String description, String taskDefinitionArn, Supplier<T> call) {
        return call(description, () -> {
            try {
                return call.get();
            } catch (AwsServiceException e) {
                if (revisionNotVisible(e)) {
                    throw new TransientAwsException(description + " failed: ECS does not see " + taskDefinitionArn
                            + " yet (" + detail(e) + "); ECS is eventually consistent", e);
                }
                throw e;
            }
        });
    }

    private static boolean revisionNotVisible(AwsServiceException e) {
        if (e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null) {
            return false;
        }
        String code = e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails().errorMessage().toLowerCase(Locale.ROOT);
        return ("InvalidParameterException".equals(code) || "ClientException".equals(code))
                && (message.contains("taskdefinition not found") || message.contains("task definition not found")
                        || message.contains("invalid revision number")
                        || message.contains("unable to describe task definition"));
    }

    static <T> T call(String description, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            String detail = detail(e);
            if (e.isThrottlingException() || e.statusCode() >= 500 || TRANSIENT_CODES.contains(errorCode(e))) {
                throw new TransientAwsException(description + " failed (" + detail + ")", e);
            }
            throw new AwsRequestRejectedException(description + " was rejected (" + detail + ")", e);
        } catch (SdkClientException e) {
            throw new TransientAwsException(description + " failed (" + e.getMessage() + ")", e);
        }
    }
}
