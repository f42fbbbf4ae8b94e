package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.json.DeckhandJson;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Every service Deckhand calls is addressed as its generated SDK client addresses it: the
 * {@code X-Amz-Target} prefix, the AWS JSON protocol version and the SigV4 signing name (as the SDK's
 * service models name them), with the credentials the clients were given, one client per service.
 */
class AwsClientsTest {

    private final LoopbackAwsService service = new LoopbackAwsService();

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void eachJsonServiceIsAddressedAsItsGeneratedClientAddressesIt() {
        Map<String, Function<AwsClients, AwsJsonClient>> services = Map.of(
                "DynamoDB_20120810|1.0|dynamodb", AwsClients::dynamoDb,
                "AmazonEC2ContainerServiceV20141113|1.1|ecs", AwsClients::ecs,
                "AmazonSSM|1.1|ssm", AwsClients::ssm,
                "Logs_20140328|1.1|logs", AwsClients::logs,
                "secretsmanager|1.1|secretsmanager", AwsClients::secrets,
                "AmazonEC2ContainerRegistry_V20150921|1.1|ecr", AwsClients::ecr,
                "AWSEvents|1.1|events", AwsClients::events,
                "AWSStepFunctions|1.0|states", AwsClients::sfn,
                "GraniteServiceVersion20100801|1.0|monitoring", AwsClients::cloudWatch);

        services.forEach((expected, client) -> {
            service.requests().clear();
            client.apply(service.clients()).call("Probe", DeckhandJson.MAPPER.createObjectNode());
            String[] parts = expected.split("\\|");
            LoopbackAwsService.Request request = service.requests().get(0);
            assertThat(request.target()).as(expected).isEqualTo(parts[0] + ".Probe");
            assertThat(request.contentType()).as(expected).isEqualTo("application/x-amz-json-" + parts[1]);
            assertThat(request.authorization()).as(expected).contains("/eu-west-1/" + parts[2] + "/aws4_request");
        });
    }

    /** As a generated client is built once and shared, so that its retry token bucket sees every call. */
    @Test
    void eachServicesClientIsBuiltOnceAndShared() {
        AwsClients clients = service.clients();

        assertThat(clients.dynamoDb()).isSameAs(clients.dynamoDb());
        assertThat(clients.ecs()).isSameAs(clients.ecs()).isNotSameAs(clients.ssm());
        assertThat(clients.sns()).isSameAs(clients.sns());
        assertThat(clients.withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDOTHER",
                "other"))).ecs()).isNotSameAs(clients.ecs());
    }

    @Test
    void otherCredentialsSignTheSameServicesWithTheirKey() {
        AwsClients assumed = service.clients().withCredentials(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDOTHER", "other")));

        assumed.ecs().call("DescribeServices", DeckhandJson.MAPPER.createObjectNode());
        service.clients().ecs().call("DescribeServices", DeckhandJson.MAPPER.createObjectNode());

        assertThat(service.requests().get(0).authorization()).contains("Credential=AKIDOTHER/");
        assertThat(service.requests().get(1).authorization()).contains("Credential=AKIDEXAMPLE/");
    }
}
