package dev.deckhand.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.DeckhandConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.services.iam.PolicyStatement;

/** The notify function reads exactly the GitHub token secrets the configuration names, and no others. */
class SecretPermissionsTest {

    private static DeckhandConfiguration withGitHub() throws Exception {
        String text = Files.readString(Path.of("../deckhand.yml")).replace(
                "          timeoutSeconds: 600            # default 900\n",
                "          timeoutSeconds: 600            # default 900\n        notifications:\n"
                        + "          github: {repository: acme/storefront, tokenSecret: deckhand/github/acme}\n");
        return ConfigurationLoader.parse(text, "deckhand.yml");
    }

    @Test
    void gitHubTokenSecretsAreTheConfiguredOnesWithSecretsManagersSuffix() throws Exception {
        PolicyStatement statement = SlackSecretPermissions.gitHubTokens(withGitHub()).orElseThrow();

        assertThat(statement.getActions()).containsExactly("secretsmanager:GetSecretValue");
        assertThat(statement.getResources()).singleElement().asString()
                .contains(":secretsmanager:").endsWith(":secret:deckhand/github/acme-??????");
        // The Slack statement still names only the Slack secret.
        assertThat(SlackSecretPermissions.forConfiguration(withGitHub()).orElseThrow().getResources())
                .singleElement().asString().endsWith(":secret:deckhand/slack/storefront-prod-??????");
    }

    @Test
    void noGitHubTargetNoStatement() {
        assertThat(SlackSecretPermissions.gitHubTokens(ConfigurationLoader.load(Path.of("../deckhand.yml")))).isEmpty();
    }
}
