package dev.deckhand.migrate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The RunTask {@code clientToken} of a migration: the same for every retry of one attempt of one
 * deployment, different for the next attempt. ECS keeps tokens for 24 hours and accepts at most
 * 64 ASCII characters (ECS_Idempotency), so the token is a digest rather than the readable id.
 */
public final class MigrationClientToken {

    private MigrationClientToken() {
    }

    public static String of(String deploymentId, int attempt) {
        return of(deploymentId, "migration", attempt);
    }

    /** The token of the one-off task of {@code purpose} ({@code migration}, {@code verification}): each its own task. */
    public static String of(String deploymentId, String purpose, int attempt) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((deploymentId + "#" + purpose + "#" + attempt).getBytes(StandardCharsets.UTF_8));
            return "deckhand-" + HexFormat.of().formatHex(digest, 0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
