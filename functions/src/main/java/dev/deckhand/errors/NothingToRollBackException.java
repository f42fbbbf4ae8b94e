package dev.deckhand.errors;

/** No revision of this service environment was ever verified healthy by Deckhand (a first deployment), so there is nothing to roll back to. */
public final class NothingToRollBackException extends DeckhandException {

    public NothingToRollBackException(String message) {
        super(message);
    }
}
