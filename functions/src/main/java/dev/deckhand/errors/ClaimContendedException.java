package dev.deckhand.errors;

/**
 * Several executions kept claiming the same deployment at once, or DynamoDB kept cancelling the
 * claim for a passing reason: nothing is wrong with the request, and the state machine retries the
 * claim with backoff.
 */
public final class ClaimContendedException extends DeckhandException {

    public ClaimContendedException(String message) {
        super(message);
    }
}
