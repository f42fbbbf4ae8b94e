package dev.deckhand.aws;

import dev.deckhand.hook.HookAnswers;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The hook's answers as items of the waits table, keyed {@code HOOK#<service revision ARN>} (no
 * wait key starts so, and without an execution they stay out of the index by execution), expiring
 * like the waits: an answer matters only until the rollout it judged is reported. One UpdateItem
 * writes (API_UpdateItem: creates the item if absent), one strongly consistent GetItem reads
 * (API_GetItem ConsistentRead), so the answer written before ECS rolled back is the one read.
 */
public final class DynamoDbHookAnswers implements HookAnswers {

    static final String PREFIX = "HOOK#";
    /** Longer than any rollout Deckhand waits for (its deadline plus the bakes). */
    static final Duration KEPT = Duration.ofDays(2);

    private final DynamoDbClient dynamo;
    private final java.util.function.Supplier<String> table;
    private final Clock clock;

    public DynamoDbHookAnswers(DynamoDbClient dynamo, String table, Clock clock) {
        this(dynamo, () -> table, clock);
    }

    /** @param table the waits table's name, asked for on first use (see {@code Wiring}) */
    public DynamoDbHookAnswers(DynamoDbClient dynamo, java.util.function.Supplier<String> table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public void record(String targetServiceRevisionArn, String answer) {
        AwsCalls.call("keep the hook's answer for " + targetServiceRevisionArn, () -> dynamo.updateItem(update -> update
                .tableName(table.get()).key(key(targetServiceRevisionArn))
                .updateExpression("SET answer = :answer, " + DynamoDbWaits.EXPIRES_AT + " = :expires")
                .expressionAttributeValues(Map.of(":answer", AttributeValue.builder().s(answer).build(),
                        ":expires", AttributeValue.builder()
                                .n(Long.toString(clock.instant().plus(KEPT).getEpochSecond())).build()))));
    }

    @Override
    public Optional<String> last(String targetServiceRevisionArn) {
        Map<String, AttributeValue> item = AwsCalls.call("read the hook's answer for " + targetServiceRevisionArn,
                () -> dynamo.getItem(get -> get.tableName(table.get()).key(key(targetServiceRevisionArn)).consistentRead(true)))
                .item();
        return Optional.ofNullable(item).map(found -> found.get("answer")).map(AttributeValue::s);
    }

    private static Map<String, AttributeValue> key(String targetServiceRevisionArn) {
        return Map.of(DynamoDbWaits.PARTITION_KEY, AttributeValue.builder().s(PREFIX + targetServiceRevisionArn).build());
    }
}
