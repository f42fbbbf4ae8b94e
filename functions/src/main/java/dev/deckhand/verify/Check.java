package dev.deckhand.verify;

/**
 * One line of {@code deckhand verify}.
 *
 * @param target {@code <service>/<environment>}
 * @param fix what to do about a failure, one line; {@code null} when it passed
 */
public record Check(String target, String name, boolean passed, String detail, String fix) {

    public static Check pass(String target, String name, String detail) {
        return new Check(target, name, true, detail, null);
    }

    public static Check fail(String target, String name, String detail, String fix) {
        return new Check(target, name, false, detail, fix);
    }
}
