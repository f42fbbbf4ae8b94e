package dev.deckhand.aws;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * The retries of Deckhand's light clients, which are the generated clients' own: "Each SDK client
 * has a retry strategy created at build time" (SDK for Java 2.x developer guide, "Configure retry
 * behavior"), the one {@link AwsRetryStrategy#defaultRetryStrategy()} builds for the default retry
 * mode. Asked before every further attempt: which errors are retried (throttling, 5xx, I/O), how long
 * to back off, and when the token bucket stops retrying.
 */
final class SdkRetries {

    private final RetryStrategy strategy;
    private final String scope;

    /** A service whose generated client retries with the SDK's defaults. */
    static final Consumer<RetryStrategy.Builder<?, ?>> DEFAULTS = retries -> { };

    /**
     * @param serviceRetries what the service's generated client changes in the SDK's defaults (DynamoDB's)
     * @param backOff false for the local cloud: the same attempts, without the pause between them
     */
    SdkRetries(String scope, Consumer<RetryStrategy.Builder<?, ?>> serviceRetries, boolean backOff) {
        this.scope = scope;
        RetryStrategy.Builder<?, ?> retries = AwsRetryStrategy.defaultRetryStrategy().toBuilder();
        serviceRetries.accept(retries);
        if (!backOff) {
            AwsClients.withoutBackOff(retries);
        }
        this.strategy = retries.build();
    }

    /** How many attempts a call makes at most (the first one included). */
    int maxAttempts() {
        return strategy.maxAttempts();
    }

    /** Runs {@code attempt} until it succeeds or the strategy stops retrying; the last error escapes. */
    <T> T run(Supplier<T> attempt) {
        AcquireInitialTokenResponse first = strategy.acquireInitialToken(AcquireInitialTokenRequest.create(scope));
        RetryToken token = first.token();
        pause(first.delay());
        while (true) {
            try {
                T answer = attempt.get();
                strategy.recordSuccess(RecordSuccessRequest.create(token));
                return answer;
            } catch (AbortedException aborted) {
                throw aborted; // the thread was interrupted (SignedExchange)
            } catch (SdkException failure) {
                RefreshRetryTokenResponse next;
                try {
                    next = strategy.refreshRetryToken(RefreshRetryTokenRequest.builder().token(token).failure(failure)
                            .build());
                } catch (TokenAcquisitionFailedException notRetried) {
                    throw failure;
                }
                token = next.token();
                pause(next.delay());
            }
        }
    }

    private static void pause(Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AbortedException.create("Thread was interrupted", e);
        }
    }
}
