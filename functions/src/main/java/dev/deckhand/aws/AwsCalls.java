package dev.deckhand.aws;

import dev.deckhand.errors.AwsRequestRejectedException;
import dev.deckhand.errors.TransientAwsException;
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

    private AwsCalls() {
    }

    static <T> T call(String description, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            String detail = e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
            if (e.isThrottlingException() || e.statusCode() >= 500) {
                throw new TransientAwsException(description + " failed (" + detail + ")", e);
            }
            throw new AwsRequestRejectedException(description + " was rejected (" + detail + ")", e);
        } catch (SdkClientException e) {
            throw new TransientAwsException(description + " failed (" + e.getMessage() + ")", e);
        }
    }
}
