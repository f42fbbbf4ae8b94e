package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** One SDK client per service and set of credentials: every adapter of a function shares it. */
class AwsClientsTest {

    private final AwsClients clients = AwsClients.forEndpoint(URI.create("http://127.0.0.1:9"), Region.US_EAST_1,
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")));

    @Test
    void buildsEachSdkClientOnceAndSharesIt() {
        assertThat(clients.dynamo()).isSameAs(clients.dynamo());
        assertThat(clients.ecs()).isSameAs(clients.ecs());
    }

    @Test
    void otherCredentialsGetClientsOfTheirOwn() {
        AwsClients assumed = clients.withCredentials(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDOTHER", "other")));

        assertThat(assumed.dynamo()).isNotSameAs(clients.dynamo());
        assertThat(assumed.ecs()).isNotSameAs(clients.ecs());
    }
}
