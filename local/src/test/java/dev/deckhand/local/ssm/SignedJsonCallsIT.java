package dev.deckhand.local.ssm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.aws.AwsClients;
import dev.deckhand.aws.SsmConfigurationSource;
import dev.deckhand.errors.ConfigurationUnavailableException;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.LocalCloud;
import dev.deckhand.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Deckhand's own AWS JSON calls (AwsJsonClient: SSM GetParameter, Secrets Manager GetSecretValue)
 * against the local cloud, which routes each request by the service in its SigV4 credential scope and
 * its X-Amz-Target, so a wrong signing name or target fails here. The local AWS port does not verify
 * signatures (README, "What the local cloud enforces"); AwsJsonClientTest checks the signed request.
 */
class SignedJsonCallsIT {

    private static LocalCloud cloud;
    private static AwsClients aws;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().port(0).dynamoDb(false).build().start();
        aws = AwsClients.forEndpoint(cloud.endpoint(), Region.of(cloud.region()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void theConfigurationIsReadFromTheParameterStore() {
        cloud.parameters().put("/deckhand/signed/config", "String", Fixtures.read("deckhand.yml"));

        assertThat(new SsmConfigurationSource(aws.ssm(), "/deckhand/signed/config").load())
                .hasToString(Fixtures.sampleConfiguration().toString());
    }

    @Test
    void aMissingParameterIsNamed() {
        assertThatThrownBy(() -> new SsmConfigurationSource(aws.ssm(), "/deckhand/signed/missing").load())
                .isInstanceOf(ConfigurationUnavailableException.class)
                .hasMessage("SSM parameter /deckhand/signed/missing does not exist");
    }

    @Test
    void aSecretIsReadFromSecretsManager() {
        cloud.secrets().put("deckhand/signed/slack", "https://hooks.example/signed");

        assertThat(aws.secrets().call("GetSecretValue", DeckhandJson.MAPPER.createObjectNode()
                .put("SecretId", "deckhand/signed/slack")).path("SecretString").asText())
                .isEqualTo("https://hooks.example/signed");
    }
}
