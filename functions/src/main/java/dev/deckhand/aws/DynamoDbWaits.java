package dev.deckhand.aws;

import dev.deckhand.wait.Waits;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Waits in one DynamoDB table keyed by {@code waitKey}: the item holds the waiting {@code token}
 * (its execution, and what its state {@code started}), or the final {@code event} (its detail) that
 * came before any token, or both for an instant.
 * Both writes are single UpdateItem calls returning the item after the write (ReturnValues
 * ALL_NEW, API_UpdateItem), so a token and an event written concurrently always see each other.
 */
public final class DynamoDbWaits implements Waits {

    public static final String PARTITION_KEY = "waitKey";
    /** Epoch seconds after which DynamoDB's TTL may delete the item. */
    public static final String EXPIRES_AT = "expiresAt";
    /** The execution whose token an item holds (only waits have it: the index is sparse). */
    public static final String EXECUTION = "executionArn";
    /** The index of the waits by execution, for the cleanup of a dead execution. */
    public static final String BY_EXECUTION = "byExecution";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbWaits(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<String> register(String key, String token, String executionArn, String started,
            Instant expiresAt) {
        Map<String, AttributeValue> item = AwsCalls.call("store the wait " + key, () -> dynamo.updateItem(update -> update
                .tableName(table).key(key(key))
                .updateExpression("SET #token = :token, executionArn = :execution, started = :started, expiresAt = :expires")
                .expressionAttributeNames(Map.of("#token", "token"))
                .expressionAttributeValues(Map.of(":token", s(token), ":execution", s(executionArn),
                        ":started", s(started), ":expires", n(expiresAt.getEpochSecond())))
                .returnValues(ReturnValue.ALL_NEW))).attributes();
        return Optional.ofNullable(item.get("event")).map(AttributeValue::s);
    }

    @Override
    public Optional<Waiting> recordEvent(String key, String detail, Instant expiresAt) {
        Map<String, AttributeValue> item = AwsCalls.call("record the event of " + key, () -> dynamo.updateItem(update -> update
                .tableName(table).key(key(key))
                .updateExpression("SET #event = :event, expiresAt = :expires")
                .expressionAttributeNames(Map.of("#event", "event"))
                .expressionAttributeValues(Map.of(":event", s(detail), ":expires", n(expiresAt.getEpochSecond())))
                .returnValues(ReturnValue.ALL_NEW))).attributes();
        return Optional.ofNullable(item.get("token"))
                .map(token -> new Waiting(token.s(), item.containsKey("started") ? item.get("started").s() : "{}"));
    }

    @Override
    public List<Stored> ofExecution(String executionArn) {
        return waitsOf(executionArn).stream().filter(wait -> wait.containsKey("token"))
                .map(wait -> new Stored(wait.get(PARTITION_KEY).s(), wait.get("token").s(),
                        wait.containsKey("started") ? wait.get("started").s() : "{}"))
                .toList();
    }

    @Override
    public void complete(String key, String token) {
        AwsCalls.call("forget the wait " + key, () -> {
            try {
                dynamo.deleteItem(delete -> delete.tableName(table).key(key(key))
                        .conditionExpression("#token = :token")
                        .expressionAttributeNames(Map.of("#token", "token"))
                        .expressionAttributeValues(Map.of(":token", s(token))));
            } catch (ConditionalCheckFailedException e) {
                // A newer wait took the key: it stays.
            }
            return null;
        });
    }

    @Override
    public int forgetExecution(String executionArn) {
        // An execution waits in one state at a time: one page holds all of its waits. Reads of a GSI
        // are eventually consistent (HowItWorks.ReadConsistency): a wait stored a moment before the
        // execution died may be missed here; wait-router forgets it when its event finds the task
        // gone, and the TTL in the end.
        int forgotten = 0;
        for (Map<String, AttributeValue> wait : waitsOf(executionArn)) {
            if (wait.containsKey("token")) {
                complete(wait.get(PARTITION_KEY).s(), wait.get("token").s());
                forgotten++;
            }
        }
        return forgotten;
    }

    private List<Map<String, AttributeValue>> waitsOf(String executionArn) {
        return AwsCalls.call("find the waits of " + executionArn,
                () -> dynamo.query(query -> query.tableName(table).indexName(BY_EXECUTION)
                        .keyConditionExpression("#execution = :execution")
                        .expressionAttributeNames(Map.of("#execution", EXECUTION))
                        .expressionAttributeValues(Map.of(":execution", s(executionArn))))).items();
    }

    private static Map<String, AttributeValue> key(String key) {
        return Map.of(PARTITION_KEY, s(key));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }
}
