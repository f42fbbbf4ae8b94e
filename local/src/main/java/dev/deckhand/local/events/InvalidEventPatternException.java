package dev.deckhand.local.events;

/**
 * An event pattern EventBridge would refuse. The message follows AWS's
 * {@code InvalidEventPatternException}: {@code Event pattern is not valid. Reason: ...}.
 */
public final class InvalidEventPatternException extends IllegalArgumentException {

    public InvalidEventPatternException(String reason) {
        super("Event pattern is not valid. Reason: " + reason);
    }
}
