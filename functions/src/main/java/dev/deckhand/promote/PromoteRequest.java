package dev.deckhand.promote;

/**
 * {@code POST /promotions}: promote to {@code to} the image that last deployed successfully to
 * {@code from}, or the given digest, which must have deployed successfully to {@code from}.
 *
 * @param digest {@code sha256:…}, or {@code null} for what {@code from} last verified
 */
public record PromoteRequest(String service, String from, String to, String digest) {
}
