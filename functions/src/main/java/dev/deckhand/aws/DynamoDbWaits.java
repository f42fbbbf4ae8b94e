package dev.deckhand.aws;

import static dev.deckhand.aws.DynamoDbItems.attributes;
import static dev.deckhand.aws.DynamoDbItems.n;
import static dev.deckhand.aws.DynamoDbItems.on;
import static dev.deckhand.aws.DynamoDbItems.s;
import static dev.deckhand.aws.DynamoDbItems.text;
import static dev.deckhand.aws.DynamoDbItems.unlessConditionFails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.wait.Waits;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

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

    private final AwsJsonClient dynamo;
    private final String table;

    /** @param dynamo DynamoDB ({@link AwsClients#dynamoDb()}) */
    public DynamoDbWaits(AwsJsonClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<String> register(String key, String token, String executionArn, String started,
            Instant expiresAt) {
        JsonNode item = AwsCalls.call("store the wait " + key, () -> dynamo.call("UpdateItem", on(table)
                .with("Key", key(key))
                .with("UpdateExpression",
                        "SET #token = :token, executionArn = :execution, started = :started, expiresAt = :expires")
                .with("ExpressionAttributeNames", names("#token", "token"))
                .with("ExpressionAttributeValues", attributes(Map.of(":token", s(token), ":execution", s(executionArn),
                        ":started", s(started), ":expires", n(expiresAt.getEpochSecond()))))
                .with("ReturnValues", "ALL_NEW")
                .json())).path("Attributes");
        return Optional.ofNullable(text(item, "event"));
    }

    @Override
    public Optional<Waiting> recordEvent(String key, String detail, Instant expiresAt) {
        JsonNode item = AwsCalls.call("record the event of " + key, () -> dynamo.call("UpdateItem", on(table)
                .with("Key", key(key))
                .with("UpdateExpression", "SET #event = :event, expiresAt = :expires")
                .with("ExpressionAttributeNames", names("#event", "event"))
                .with("ExpressionAttributeValues",
                        attributes(Map.of(":event", s(detail), ":expires", n(expiresAt.getEpochSecond()))))
                .with("ReturnValues", "ALL_NEW")
                .json())).path("Attributes");
        return Optional.ofNullable(text(item, "token")).map(token -> new Waiting(token, started(item)));
    }

    @Override
    public List<Stored> ofExecution(String executionArn) {
        return waitsOf(executionArn).stream().filter(wait -> wait.has("token"))
                .map(wait -> new Stored(text(wait, PARTITION_KEY), text(wait, "token"), started(wait)))
                .toList();
    }

    @Override
    public void complete(String key, String token) {
        // A failed condition: a newer wait took the key, it stays.
        AwsCalls.call("forget the wait " + key, () -> unlessConditionFails(() -> dynamo.call("DeleteItem", on(table)
                .with("Key", key(key))
                .with("ConditionExpression", "#token = :token")
                .with("ExpressionAttributeNames", names("#token", "token"))
                .with("ExpressionAttributeValues", attributes(Map.of(":token", s(token))))
                .json())));
    }

    @Override
    public int forgetExecution(String executionArn) {
        // An execution waits in one state at a time: one page holds all of its waits. Reads of a GSI
        // are eventually consistent (HowItWorks.ReadConsistency): a wait stored a moment before the
        // execution died may be missed here; wait-router forgets it when its event finds the task
        // gone, and the TTL in the end.
        int forgotten = 0;
        for (JsonNode wait : waitsOf(executionArn)) {
            if (wait.has("token")) {
                complete(text(wait, PARTITION_KEY), text(wait, "token"));
                forgotten++;
            }
        }
        return forgotten;
    }

    private List<JsonNode> waitsOf(String executionArn) {
        JsonNode answer = AwsCalls.call("find the waits of " + executionArn, () -> dynamo.call("Query", on(table)
                .with("IndexName", BY_EXECUTION)
                .with("KeyConditionExpression", "#execution = :execution")
                .with("ExpressionAttributeNames", names("#execution", EXECUTION))
                .with("ExpressionAttributeValues", attributes(Map.of(":execution", s(executionArn))))
                .json()));
        return StreamSupport.stream(answer.path("Items").spliterator(), false).toList();
    }

    private static String started(JsonNode wait) {
        String started = text(wait, "started");
        return started == null ? "{}" : started;
    }

    /** ExpressionAttributeNames: a placeholder for a name DynamoDB reserves (token, event). */
    private static ObjectNode names(String placeholder, String name) {
        return DeckhandJson.MAPPER.createObjectNode().put(placeholder, name);
    }

    private static ObjectNode key(String key) {
        return attributes(Map.of(PARTITION_KEY, s(key)));
    }
}
