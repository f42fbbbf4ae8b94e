package dev.deckhand.errors;

/** The alarm gate names an alarm CloudWatch does not have: the deployment fails before anything changes. */
public final class AlarmNotFoundException extends DeckhandException {

    public AlarmNotFoundException(String message) {
        super(message);
    }
}
