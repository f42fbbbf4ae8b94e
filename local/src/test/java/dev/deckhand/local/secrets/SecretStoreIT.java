package dev.deckhand.local.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.local.Clients;
import dev.deckhand.local.LocalCloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** Behaviour from the Secrets Manager API reference (CreateSecret, GetSecretValue, PutSecretValue). */
class SecretStoreIT {

    private static LocalCloud cloud;
    private static SecretsManagerClient secrets;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().port(0).dynamoDb(false).build().start();
        secrets = Clients.secretsManager(cloud);
    }

    @AfterAll
    static void stop() {
        secrets.close();
        cloud.close();
    }

    @Test
    void returnsTheValueOfACreatedSecretByNameOrArn() {
        var created = secrets.createSecret(r -> r.name("deckhand/slack-webhook").secretString("https://hooks.example/x"));

        var byName = secrets.getSecretValue(r -> r.secretId("deckhand/slack-webhook"));
        var byArn = secrets.getSecretValue(r -> r.secretId(created.arn()));

        assertThat(created.arn()).matches("arn:aws:secretsmanager:us-east-1:000000000000:secret:deckhand/slack-webhook-\\w{6}");
        assertThat(byName.secretString()).isEqualTo("https://hooks.example/x");
        assertThat(byName.versionId()).isEqualTo(created.versionId());
        assertThat(byName.versionStages()).containsExactly("AWSCURRENT");
        assertThat(byArn.name()).isEqualTo("deckhand/slack-webhook");
    }

    @Test
    void answersResourceNotFoundForAnUnknownSecret() {
        assertThatThrownBy(() -> secrets.getSecretValue(r -> r.secretId("deckhand/missing")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("can't find the specified secret");
        assertThatThrownBy(() -> secrets.putSecretValue(r -> r.secretId("deckhand/missing").secretString("x")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void putSecretValueMakesANewCurrentVersion() {
        var created = secrets.createSecret(r -> r.name("deckhand/db-password").secretString("first"));

        var put = secrets.putSecretValue(r -> r.secretId("deckhand/db-password").secretString("second"));

        var current = secrets.getSecretValue(r -> r.secretId("deckhand/db-password"));
        assertThat(put.versionId()).isNotEqualTo(created.versionId());
        assertThat(current.secretString()).isEqualTo("second");
        assertThat(current.versionId()).isEqualTo(put.versionId());
    }

    @Test
    void refusesToCreateASecretTwice() {
        secrets.createSecret(r -> r.name("deckhand/twice").secretString("a"));

        assertThatThrownBy(() -> secrets.createSecret(r -> r.name("deckhand/twice").secretString("b")))
                .isInstanceOf(ResourceExistsException.class);
    }

    @Test
    void errorMessagesNeverContainTheSecretValue() {
        secrets.createSecret(r -> r.name("deckhand/quiet").secretString("hunter2"));

        assertThatThrownBy(() -> secrets.getSecretValue(r -> r.secretId("deckhand/quiet").versionId("nope")))
                .isInstanceOf(ResourceNotFoundException.class)
                .message().doesNotContain("hunter2");
    }
}
