package dev.deckhand.infra;

/**
 * The app cannot synthesize Deckhand as asked (a missing definition or jar, a configuration too
 * large for SSM). Its message is one line that says what to do; the app prints it, without a
 * stack trace, and exits 1.
 */
public final class SynthesisException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SynthesisException(String message) {
        super(message);
    }
}
