package dev.deckhand.statemachine;

/**
 * A state machine definition that AWS Step Functions would reject, or that uses a feature this
 * engine does not support. The message names the state and the field at fault.
 */
public class DefinitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A definition error with a message that names the state and field. */
    public DefinitionException(String message) {
        super(message);
    }
}
