package dev.deckhand.errors;

/** The configuration could not be read (missing parameter or file, unreadable source). */
public final class ConfigurationUnavailableException extends DeckhandException {

    public ConfigurationUnavailableException(String message) {
        super(message);
    }

    public ConfigurationUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
