package dev.deckhand.errors;

/** The task definition has no container Deckhand can put the image in; never retried. */
public final class ContainerNotFoundException extends DeckhandException {

    public ContainerNotFoundException(String message) {
        super(message);
    }
}
