package dev.deckhand.promote;

/**
 * {@code POST /promotions}: promote to {@code to} the image that last deployed successfully to
 * {@code from}, or the given digest, which must have deployed successfully to {@code from}.
 *
 * @param digest {@code sha256:…}, or {@code null} for what {@code from} last verified
 * @param breakGlass why the promotion must go during a freeze of {@code to}, or {@code null}; only
 *     a principal the environment's {@code breakGlass} names may give one
 */
public record PromoteRequest(String service, String from, String to, String digest, String breakGlass) {

    public PromoteRequest(String service, String from, String to, String digest) {
        this(service, from, to, digest, null);
    }
}
