package dev.deckhand.aws;

import static dev.deckhand.aws.DynamoDbItems.attributes;
import static dev.deckhand.aws.DynamoDbItems.n;
import static dev.deckhand.aws.DynamoDbItems.on;
import static dev.deckhand.aws.DynamoDbItems.s;
import static dev.deckhand.aws.DynamoDbItems.text;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.hook.HookAnswers;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

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

    private final AwsJsonClient dynamo;
    private final java.util.function.Supplier<String> table;
    private final Clock clock;

    /** @param dynamo DynamoDB ({@link AwsClients#dynamoDb()}) */
    public DynamoDbHookAnswers(AwsJsonClient dynamo, String table, Clock clock) {
        this(dynamo, () -> table, clock);
    }

    /** @param table the waits table's name, asked for on first use (see {@code Wiring}) */
    public DynamoDbHookAnswers(AwsJsonClient dynamo, java.util.function.Supplier<String> table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public void record(String targetServiceRevisionArn, String answer) {
        AwsCalls.call("keep the hook's answer for " + targetServiceRevisionArn, () -> dynamo.call("UpdateItem",
                on(table.get()).with("Key", key(targetServiceRevisionArn))
                        .with("UpdateExpression", "SET answer = :answer, " + DynamoDbWaits.EXPIRES_AT + " = :expires")
                        .with("ExpressionAttributeValues", attributes(Map.of(":answer", s(answer),
                                ":expires", n(clock.instant().plus(KEPT).getEpochSecond()))))
                        .json()));
    }

    @Override
    public Optional<String> last(String targetServiceRevisionArn) {
        return Optional.ofNullable(text(AwsCalls.call("read the hook's answer for " + targetServiceRevisionArn,
                () -> dynamo.call("GetItem", on(table.get()).with("Key", key(targetServiceRevisionArn))
                        .with("ConsistentRead", true).json()))
                .path("Item"), "answer"));
    }

    private static ObjectNode key(String targetServiceRevisionArn) {
        return attributes(Map.of(DynamoDbWaits.PARTITION_KEY, s(PREFIX + targetServiceRevisionArn)));
    }
}
