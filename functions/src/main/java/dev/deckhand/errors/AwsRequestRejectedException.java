package dev.deckhand.errors;

/** AWS refused a request as invalid or forbidden (a 4xx other than throttling); retrying cannot help. */
public final class AwsRequestRejectedException extends DeckhandException {

    public AwsRequestRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
