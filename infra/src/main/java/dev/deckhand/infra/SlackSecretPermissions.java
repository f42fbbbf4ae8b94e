package dev.deckhand.infra;

import dev.deckhand.config.DeckhandConfiguration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * Read access to exactly the Slack webhook (and GitHub token) secrets the configuration names. The secrets are the
 * platform team's (the URL never passes through Deckhand's configuration or template).
 */
public final class SlackSecretPermissions {

    private SlackSecretPermissions() {
    }

    /** {@code secretsmanager:GetSecretValue} on the named secrets, or empty when none is configured. */
    public static Optional<PolicyStatement> forConfiguration(DeckhandConfiguration configuration) {
        return readable(configuration, settings -> settings.slackWebhookSecret());
    }

    /** The same for the GitHub token secrets of the configuration's {@code github} targets. */
    public static Optional<PolicyStatement> gitHubTokens(DeckhandConfiguration configuration) {
        return readable(configuration, settings -> settings.github() == null ? null : settings.github().tokenSecret());
    }

    private static Optional<PolicyStatement> readable(DeckhandConfiguration configuration,
            java.util.function.Function<dev.deckhand.config.NotificationSettings, String> secret) {
        List<String> secrets = List.copyOf(configuration.services().values().stream()
                .flatMap(service -> service.environments().values().stream())
                .map(environment -> secret.apply(environment.notifications()))
                .filter(Objects::nonNull)
                .map(SlackSecretPermissions::secretArn)
                .collect(Collectors.toCollection(TreeSet::new)));
        if (secrets.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("secretsmanager:GetSecretValue"))
                .resources(secrets)
                .build());
    }

    /**
     * A secret's ARN ends with '-' and six random characters Secrets Manager appends, so a name
     * matches as {@code name-??????}
     * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html).
     */
    static String secretArn(String nameOrArn) {
        if (nameOrArn.startsWith("arn:")) {
            return nameOrArn;
        }
        return "arn:" + Aws.PARTITION + ":secretsmanager:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":secret:"
                + nameOrArn + "-??????";
    }
}
