package dev.deckhand.local.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.aws.AwsClients;
import dev.deckhand.aws.AwsJsonClient;
import dev.deckhand.aws.DynamoDbDeploymentHistory;
import dev.deckhand.aws.DynamoDbDeploymentLocks;
import dev.deckhand.coordinate.LockRequest;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.errors.AwsRequestRejectedException;
import dev.deckhand.errors.TransientAwsException;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.ClaimRecord;
import dev.deckhand.local.LocalCloud;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * DynamoDB transaction faults as the real SDK sees them, on DynamoDB Local behind the local
 * gateway, and how Deckhand's history and locks read them. API_TransactWriteItems,
 * TransactionCanceledException: DynamoDB cancels a transaction for a failed condition, a conflict
 * with another transaction, throttling, exceeded throughput or a validation error, and lists one
 * CancellationReason per action (codes ConditionalCheckFailed, TransactionConflict, ThrottlingError,
 * ProvisionedThroughputExceeded, ValidationError; None for the others). A plain write to an item
 * in a transaction answers TransactionConflictException.
 */
class TransactionFaultsIT {

    private static final String TABLE = "history";
    private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();

    private static LocalCloud cloud;
    private static DynamoDbClient dynamo;
    /** What Deckhand's adapters call DynamoDB with (AWS JSON 1.0, as the generated client sends it). */
    private static AwsJsonClient dynamoJson;
    private static DynamoDbDeploymentHistory history;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().port(0).faultSeed(3).build().start();
        dynamo = DynamoDbClient.builder().endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(2)))
                .build();
        dynamo.createTable(r -> r.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        dynamo.createTable(r -> r.tableName("locks").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)));
        dynamoJson = AwsClients.forEndpoint(cloud.endpoint(), Region.of(cloud.region()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).retryingAtOnce().dynamoDb();
        history = new DynamoDbDeploymentHistory(dynamoJson, TABLE);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        cloud.close();
    }

    @AfterEach
    void clearFaults() {
        cloud.faults().clear();
    }

    @ParameterizedTest
    @EnumSource(value = FaultKind.class, names = "CANCEL_.*", mode = EnumSource.Mode.MATCH_ANY)
    void cancelsATransactionWithOneReasonPerAction(FaultKind kind) {
        cloud.faults().add(FaultRule.dynamoDb("TransactWriteItems", kind, 1));

        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(put("a"), put("b"), put("c"))))
                .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
                    assertThat(e.cancellationReasons()).extracting(CancellationReason::code)
                            .containsExactly(code(kind), "None", "None");
                    assertThat(e.getMessage()).contains("Transaction cancelled");
                });
        assertThat(dynamo.getItem(r -> r.tableName(TABLE).key(key("a"))).hasItem()).isFalse();
    }

    @Test
    void answersTransactionConflictOnAPlainWrite() {
        cloud.faults().add(FaultRule.dynamoDb("PutItem", FaultKind.TRANSACTION_CONFLICT, 1));

        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(TABLE).item(key("plain"))))
                .isInstanceOf(TransactionConflictException.class);
    }

    @Test
    void aClaimCancelledByItsConditionIsALostRace() {
        cloud.faults().add(FaultRule.dynamoDb("TransactWriteItems", FaultKind.CANCEL_CONDITIONAL_CHECK_FAILED, 1));

        assertThat(claim()).isFalse();
    }

    @Test
    void aClaimThatReallyLosesTheRaceOnDynamoDbLocalIsALostRace() {
        String deployment = deploymentId();
        assertThat(history.claim(deployment, Optional.empty(), record(1, "arn:first"), attempt(deployment, 1, "arn:first")))
                .isTrue();

        assertThat(history.claim(deployment, Optional.empty(), record(1, "arn:second"),
                attempt(deployment, 1, "arn:second"))).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = FaultKind.class, names = {"CANCEL_TRANSACTION_CONFLICT", "CANCEL_THROTTLING_ERROR",
            "CANCEL_PROVISIONED_THROUGHPUT_EXCEEDED"})
    void aClaimCancelledForAPassingReasonIsTransient(FaultKind kind) {
        cloud.faults().add(FaultRule.dynamoDb("TransactWriteItems", kind, 1));

        assertThatThrownBy(TransactionFaultsIT::claim).isInstanceOf(TransientAwsException.class)
                .hasMessageContaining(code(kind));
    }

    @Test
    void aClaimCancelledAsInvalidIsRejectedAsABug() {
        cloud.faults().add(FaultRule.dynamoDb("TransactWriteItems", FaultKind.CANCEL_VALIDATION_ERROR, 1));

        assertThatThrownBy(TransactionFaultsIT::claim).isInstanceOf(AwsRequestRejectedException.class)
                .hasMessageContaining("ValidationError").hasMessageContaining("bug in Deckhand");
    }

    @Test
    void aTransactionConflictOnAPlainWriteIsTransient() {
        cloud.faults().add(FaultRule.dynamoDb("UpdateItem", FaultKind.TRANSACTION_CONFLICT, 1));
        DynamoDbDeploymentLocks locks = new DynamoDbDeploymentLocks(dynamoJson, "locks");

        assertThatThrownBy(() -> locks.acquire("web#prod", new LockRequest("arn:execution", deploymentId(),
                Instant.parse("2026-12-06T10:00:00Z")), Instant.parse("2026-12-06T10:00:00Z"), Duration.ofHours(4)))
                .isInstanceOf(TransientAwsException.class).hasMessageContaining("TransactionConflictException");
        assertThatThrownBy(() -> history.finish(attempt(deploymentId(), 1, "arn:execution")))
                .as("PutItem is not faulted, UpdateItem is").isInstanceOf(TransientAwsException.class);
    }

    private static boolean claim() {
        String deployment = deploymentId();
        return history.claim(deployment, Optional.empty(), record(1, "arn:claimer"), attempt(deployment, 1, "arn:claimer"));
    }

    private static String deploymentId() {
        return String.format("web.prod.%016x", DEPLOYMENTS.incrementAndGet());
    }

    private static ClaimRecord record(int attempt, String executionArn) {
        return new ClaimRecord(attempt, Outcome.RUNNING, executionArn, Instant.parse("2026-12-06T10:00:00Z"));
    }

    private static AttemptRecord attempt(String deploymentId, int attempt, String executionArn) {
        return new AttemptRecord(deploymentId, attempt, Outcome.RUNNING, "web", "prod",
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:" + "0".repeat(64), "v1", "push", null,
                executionArn, Instant.parse("2026-12-06T10:00:00Z"), null, null, null);
    }

    private static String code(FaultKind kind) {
        return switch (kind) {
            case CANCEL_CONDITIONAL_CHECK_FAILED -> "ConditionalCheckFailed";
            case CANCEL_TRANSACTION_CONFLICT -> "TransactionConflict";
            case CANCEL_THROTTLING_ERROR -> "ThrottlingError";
            case CANCEL_PROVISIONED_THROUGHPUT_EXCEEDED -> "ProvisionedThroughputExceeded";
            case CANCEL_VALIDATION_ERROR -> "ValidationError";
            default -> throw new IllegalArgumentException(kind.toString());
        };
    }

    private static TransactWriteItem put(String pk) {
        return TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(key(pk))).build();
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("LATEST"));
    }
}
