package dev.deckhand.local.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.local.Clients;
import dev.deckhand.local.LocalCloud;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.ThrottledException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.SsmException;

/**
 * Injected faults as the real SDK sees them: throttling is retried and then surfaces as the
 * service's throttling exception; 5xx likewise; dropped connections surface as client errors.
 */
class FaultInjectionIT {

    private static LocalCloud cloud;
    private static SsmClient ssm;
    private static SnsClient sns;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().port(0).faultSeed(7).build().start();
        ssm = Clients.ssm(cloud);
        sns = Clients.sns(cloud);
        // DynamoDB's default retry policy makes up to 9 attempts with long throttling backoff; two are enough here.
        dynamo = DynamoDbClient.builder().endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(2)))
                .build();
        ssm.putParameter(r -> r.name("/faults/p").value("v").type(ParameterType.STRING));
        dynamo.createTable(r -> r.tableName("locks")
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .billingMode(BillingMode.PAY_PER_REQUEST));
    }

    @AfterAll
    static void stop() {
        ssm.close();
        sns.close();
        dynamo.close();
        cloud.close();
    }

    @AfterEach
    void clearFaults() {
        cloud.faults().clear();
    }

    @Test
    void sdkRetriesThroughAHalfThrottledService() {
        cloud.faults().add(FaultRule.throttle("AmazonSSM", "GetParameter", 0.5));

        for (int i = 0; i < 5; i++) {
            var answer = ssm.getParameter(r -> r.name("/faults/p"));
            assertThat(answer.parameter().value()).isEqualTo("v");
        }
    }

    @Test
    void alwaysThrottledCallFailsWithThrottlingExceptionAfterRetries() {
        cloud.faults().add(FaultRule.throttle("AmazonSSM", FaultRule.ANY, 1.0));

        assertThatThrownBy(() -> ssm.getParameter(r -> r.name("/faults/p")))
                .isInstanceOf(SsmException.class)
                .satisfies(e -> {
                    SsmException error = (SsmException) e;
                    assertThat(error.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                    assertThat(error.isThrottlingException()).isTrue();
                    assertThat(error.numAttempts()).as("attempts, retries included").isGreaterThan(1);
                });
    }

    @Test
    void dynamoDbThrottlesWithProvisionedThroughputExceeded() {
        cloud.faults().add(FaultRule.throttle("DynamoDB_20120810", "PutItem", 1.0));

        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName("locks").item(Map.of("id", AttributeValue.fromS("a")))))
                .isInstanceOf(ProvisionedThroughputExceededException.class)
                .satisfies(e -> assertThat(((ProvisionedThroughputExceededException) e).numAttempts()).isEqualTo(2));
        // Other operations are untouched by a rule for PutItem.
        assertThat(dynamo.listTables().tableNames()).contains("locks");
    }

    @Test
    void snsThrottlesWithThrottledException() {
        String topic = sns.createTopic(r -> r.name("faulty")).topicArn();
        cloud.faults().add(FaultRule.throttle("sns", "Publish", 1.0));

        assertThatThrownBy(() -> sns.publish(r -> r.topicArn(topic).message("m")))
                .isInstanceOf(ThrottledException.class);
        assertThat(cloud.topics().messages(topic)).isEmpty();
    }

    @Test
    void serverErrorsSurfaceAs500AfterRetries() {
        cloud.faults().add(FaultRule.serverError(FaultRule.ANY, "GetParameter", 1.0));

        assertThatThrownBy(() -> ssm.getParameter(r -> r.name("/faults/p")))
                .isInstanceOf(SsmException.class)
                .satisfies(e -> {
                    assertThat(((SsmException) e).statusCode()).isEqualTo(500);
                    assertThat(((SsmException) e).awsErrorDetails().errorCode()).isEqualTo("InternalFailure");
                });
    }

    @Test
    void latencyDelaysTheAnswer() {
        cloud.faults().add(FaultRule.latency("AmazonSSM", "GetParameter", 1.0, Duration.ofMillis(300)));

        long started = System.nanoTime();
        var answer = ssm.getParameter(r -> r.name("/faults/p"));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(answer.parameter().value()).isEqualTo("v");
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void droppedConnectionsSurfaceAsClientErrors() {
        cloud.faults().add(FaultRule.drop("AmazonSSM", "GetParameter", 1.0));

        assertThatThrownBy(() -> ssm.getParameter(r -> r.name("/faults/p")))
                .isInstanceOf(SdkClientException.class);
    }

    @Test
    void sameSeedDrawsTheSameFaults() {
        FaultInjector first = new FaultInjector(99);
        FaultInjector second = new FaultInjector(99);
        first.add(FaultRule.throttle("*", "*", 0.3));
        second.add(FaultRule.throttle("*", "*", 0.3));

        for (int i = 0; i < 50; i++) {
            assertThat(first.decide("AmazonSSM", "GetParameter")).isEqualTo(second.decide("AmazonSSM", "GetParameter"));
        }
    }

    @Test
    void countsTheRequestsAndFaultsOfEachOperation() {
        FaultInjector injector = new FaultInjector(3);
        injector.decide("AmazonSSM", "GetParameter");
        injector.add(FaultRule.throttle("AmazonSSM", "GetParameter", 1.0));
        injector.decide("AmazonSSM", "GetParameter");
        injector.decide("sns", "Publish");

        assertThat(injector.counts()).containsExactlyInAnyOrder(
                new FaultInjector.OperationCount("AmazonSSM", "GetParameter", 2, 1),
                new FaultInjector.OperationCount("sns", "Publish", 1, 0));
        injector.resetCounts();
        assertThat(injector.counts()).isEmpty();
    }

    @Test
    void rejectsARateOutsideZeroToOne() {
        assertThatThrownBy(() -> FaultRule.throttle("*", "*", 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 1");
    }
}
