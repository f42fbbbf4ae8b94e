package dev.deckhand.local.iam;

/** A policy the local evaluator cannot read: enforcement never starts on it (it would fail open or closed by accident). */
public final class InvalidPolicyException extends RuntimeException {

    public InvalidPolicyException(String message) {
        super(message);
    }
}
