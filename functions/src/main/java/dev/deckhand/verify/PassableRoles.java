package dev.deckhand.verify;

import dev.deckhand.catalogue.Policies;
import dev.deckhand.config.DeckhandConfiguration;
import java.util.regex.Pattern;

/**
 * Whether Deckhand's deploy role may pass a role to ECS: the rule the catalogue renders into that
 * role ({@link Policies#passableRoles}) — the configured roles, or any role of the account when an
 * environment names none.
 */
public final class PassableRoles {

    private static final Pattern ROLE_ARN = Pattern.compile("arn:[a-z-]+:iam::\\d{12}:role/.+");

    private PassableRoles() {
    }

    public static boolean covers(DeckhandConfiguration configuration, String roleArn) {
        return Policies.passableRoles(configuration).map(roles -> roles.contains(roleArn))
                .orElseGet(() -> ROLE_ARN.matcher(roleArn).matches());
    }
}
