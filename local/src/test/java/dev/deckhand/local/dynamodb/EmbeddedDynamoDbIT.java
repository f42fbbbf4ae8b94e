package dev.deckhand.local.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import dev.deckhand.local.Eventually;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

class EmbeddedDynamoDbIT {

    private static DynamoDbClient client(EmbeddedDynamoDb db) {
        return DynamoDbClient.builder()
                .endpointOverride(db.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static void createTable(DynamoDbClient dynamo, String name) {
        dynamo.createTable(r -> r.tableName(name)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .billingMode(BillingMode.PAY_PER_REQUEST));
    }

    @Test
    void storesAndReadsItemsThroughTheRealSdk() {
        try (EmbeddedDynamoDb db = EmbeddedDynamoDb.start(); DynamoDbClient dynamo = client(db)) {
            createTable(dynamo, "deployments");
            dynamo.putItem(r -> r.tableName("deployments").item(Map.of("id", AttributeValue.fromS("d-1"),
                    "status", AttributeValue.fromS("SUCCEEDED"))));

            var item = dynamo.getItem(r -> r.tableName("deployments").key(Map.of("id", AttributeValue.fromS("d-1"))))
                    .item();

            assertThat(item.get("status").s()).isEqualTo("SUCCEEDED");
        }
    }

    @Test
    void instancesAreSeparateDatabases() {
        try (EmbeddedDynamoDb first = EmbeddedDynamoDb.start(); EmbeddedDynamoDb second = EmbeddedDynamoDb.start();
                DynamoDbClient one = client(first); DynamoDbClient two = client(second)) {
            createTable(one, "locks");

            assertThat(one.listTables().tableNames()).containsExactly("locks");
            assertThat(two.listTables().tableNames()).isEmpty();
            assertThatThrownBy(() -> two.describeTable(r -> r.tableName("locks")))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void listensOnLoopbackAndStopsListeningWhenClosed() throws IOException {
        EmbeddedDynamoDb db = EmbeddedDynamoDb.start();
        int port = db.port();
        assertThat(db.endpoint().getHost()).isEqualTo("127.0.0.1");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            assertThat(socket.isConnected()).isTrue();
        }

        db.close();

        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    }

    private static boolean runsDynamoDbLocalJobs(StackTraceElement[] stack) {
        return Arrays.stream(stack).anyMatch(f -> f.getClassName().contains("dynamodbv2.local.shared.jobs"));
    }

    @Test
    void closingStopsDynamoDbLocalsBackgroundJobs() {
        EmbeddedDynamoDb db = EmbeddedDynamoDb.start();
        try (DynamoDbClient dynamo = client(db)) {
            createTable(dynamo, "jobs-table");
        }
        assertThat(Thread.getAllStackTraces().values()).anyMatch(EmbeddedDynamoDbIT::runsDynamoDbLocalJobs);

        db.close();

        var remaining = Eventually.poll(() -> Thread.getAllStackTraces().values().stream()
                .filter(EmbeddedDynamoDbIT::runsDynamoDbLocalJobs).toList(), List::isEmpty);
        assertThat(remaining).isEmpty();
    }
}
