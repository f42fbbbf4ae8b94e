package dev.deckhand.health;

/**
 * What one HTTP probe got back: a status and (the start of) a body, or no answer at all.
 *
 * @param status {@code null} when there was no HTTP answer (timeout, refused, DNS failure)
 * @param failure why there was no answer, or {@code null}
 */
public record ProbeAnswer(Integer status, String body, String failure) {

    public static ProbeAnswer answered(int status, String body) {
        return new ProbeAnswer(status, body, null);
    }

    public static ProbeAnswer noAnswer(String failure) {
        return new ProbeAnswer(null, null, failure);
    }
}
