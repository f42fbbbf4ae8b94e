package dev.deckhand.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.deckhand.aws.AwsClients;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.aws.AwsErrorException;
import dev.deckhand.local.aws.JsonProtocolService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.SsmException;

class LocalCloudIT {

    @Test
    void servesDynamoDbLocalThroughTheSharedEndpoint() {
        try (LocalCloud cloud = LocalCloud.builder().port(0).build().start(); DynamoDbClient dynamo = Clients.dynamoDb(cloud)) {
            createHistoryTable(dynamo);
            dynamo.putItem(r -> r.tableName("history").item(Map.of("id", AttributeValue.fromS("d-1"),
                    "outcome", AttributeValue.fromS("ROLLED_BACK"))));

            var item = dynamo.getItem(r -> r.tableName("history").key(Map.of("id", AttributeValue.fromS("d-1")))).item();

            assertThat(item.get("outcome").s()).isEqualTo("ROLLED_BACK");
            assertThatThrownBy(() -> dynamo.describeTable(r -> r.tableName("absent")))
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThat(cloud.unmodelledMembers()).as("the SDK's generated client sends modelled members only").isEmpty();
        }
    }

    /**
     * A request written by hand (as Deckhand's light clients write theirs) with a member no SDK model
     * defines is reported, both for a service this cloud answers (SSM) and for one it forwards to
     * DynamoDB Local; the tests and the demo ask that list to be empty.
     */
    @Test
    void reportsEveryRequestMemberNoSdkModelDefines() {
        try (LocalCloud cloud = LocalCloud.builder().port(0).build().start(); DynamoDbClient dynamo = Clients.dynamoDb(cloud)) {
            createHistoryTable(dynamo);
            AwsClients handWritten = AwsClients.forEndpoint(cloud.endpoint(), Region.of(cloud.region()),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).retryingAtOnce();

            try {
                handWritten.dynamoDb().call("GetItem", DeckhandJson.MAPPER.createObjectNode().put("TableName", "history")
                        .put("ConsistentReed", true).set("Key", DeckhandJson.MAPPER.createObjectNode()
                                .set("id", DeckhandJson.MAPPER.createObjectNode().put("S", "d-1"))));
            } catch (AwsServiceException refusedOrNot) {
                // Whether DynamoDB Local refuses the member is its own affair; the report is this cloud's.
            }
            try {
                handWritten.ssm().call("GetParameter", DeckhandJson.MAPPER.createObjectNode().put("Name", "/absent")
                        .put("WithDecription", true));
            } catch (AwsServiceException notFound) {
                // ParameterNotFound: the member is still reported.
            }

            assertThat(cloud.unmodelledMembers()).containsExactly("AmazonSSM.GetParameter: WithDecription",
                    "DynamoDB_20120810.GetItem: ConsistentReed");
        }
    }

    private static void createHistoryTable(DynamoDbClient dynamo) {
        dynamo.createTable(r -> r.tableName("history")
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .billingMode(BillingMode.PAY_PER_REQUEST));
    }

    @Test
    void cloudsOnEphemeralPortsNeverShareState() {
        try (LocalCloud one = LocalCloud.builder().port(0).dynamoDb(false).build().start();
                LocalCloud two = LocalCloud.builder().port(0).dynamoDb(false).build().start()) {
            one.parameters().put("/only/in/one", "String", "1");

            assertThat(one.port()).isNotEqualTo(two.port());
            assertThat(one.endpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(two.parameters().get("/only/in/one")).isEmpty();
        }
    }

    @Test
    void aBusyPortIsAClearError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalCloud cloud = LocalCloud.builder().port(taken.getLocalPort()).build();

            assertThatThrownBy(cloud::start)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("Cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void closingReleasesThePort() {
        LocalCloud cloud = LocalCloud.builder().port(0).dynamoDb(false).build().start();
        int port = cloud.port();

        cloud.close();

        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    }

    @Test
    void answersPluggedInServicesWithTheirErrorsMappedByTheSdk() {
        JsonProtocolService fakeSsm = new JsonProtocolService() {
            @Override
            public String targetPrefix() {
                return "AmazonSSM";
            }

            @Override
            public JsonNode handle(String operation, JsonNode request) {
                throw AwsErrorException.clientError("ParameterVersionNotFound", "plugged in");
            }
        };
        // A service registered through the builder wins over the built-in one with the same prefix.
        try (LocalCloud cloud = LocalCloud.builder().port(0).dynamoDb(false).service(fakeSsm).build().start();
                SsmClient ssm = Clients.ssm(cloud)) {
            assertThatThrownBy(() -> ssm.getParameter(r -> r.name("/x")))
                    .isInstanceOf(software.amazon.awssdk.services.ssm.model.ParameterVersionNotFoundException.class)
                    .hasMessageContaining("plugged in");
        }
    }

    @Test
    void givesPluggedInServicesTheRegionAccountAndEventBus() throws Exception {
        try (LocalCloud cloud = LocalCloud.builder().port(0).dynamoDb(false).region("eu-west-1").account("123456789012")
                .service(context -> new JsonProtocolService() {
                    @Override
                    public String targetPrefix() {
                        return "AmazonEC2ContainerRegistry_V20150921";
                    }

                    @Override
                    public JsonNode handle(String operation, JsonNode request) {
                        context.events().publish(JsonNodeFactory.instance.objectNode().put("source", "aws.ecr")
                                .put("detail-type", "ECR Image Action"));
                        return JsonNodeFactory.instance.objectNode().put("region", context.region());
                    }
                }).build().start()) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(cloud.endpoint())
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.PutImage")
                    // A request ECR would accept: the gateway validates it before the service sees it.
                    .POST(HttpRequest.BodyPublishers.ofString("{\"repositoryName\":\"acme/api\",\"imageManifest\":\"{}\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"region\":\"eu-west-1\"}");
            assertThat(cloud.events().events()).singleElement().satisfies(event -> {
                assertThat(event.path("account").asText()).isEqualTo("123456789012");
                assertThat(event.path("region").asText()).isEqualTo("eu-west-1");
                assertThat(event.path("source").asText()).isEqualTo("aws.ecr");
            });
        }
    }

    @Test
    void startsOnlyOnce() {
        try (LocalCloud cloud = LocalCloud.builder().port(0).dynamoDb(false).build().start()) {
            assertThatThrownBy(cloud::start).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void unknownSsmErrorsStillReachTheSdkAsServiceExceptions() {
        try (LocalCloud cloud = LocalCloud.builder().port(0).dynamoDb(false).build().start();
                SsmClient ssm = Clients.ssm(cloud)) {
            assertThatThrownBy(() -> ssm.labelParameterVersion(r -> r.name("/x").labels("l")))
                    .isInstanceOf(SsmException.class)
                    .satisfies(e -> assertThat(((SsmException) e).awsErrorDetails().errorCode())
                            .isEqualTo("UnknownOperationException"));
        }
    }
}
