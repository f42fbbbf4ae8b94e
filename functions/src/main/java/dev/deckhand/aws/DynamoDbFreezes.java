package dev.deckhand.aws;

import dev.deckhand.freeze.AdHocFreeze;
import dev.deckhand.freeze.AdHocFreezes;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Ad-hoc freezes, one item per {@code <service>#<environment>} ({@code all#<environment>} for
 * every service). A freeze with an end carries it as {@code expiresAt} for DynamoDB's TTL, which
 * deletes late (HowItWorks TTL: typically within days), so readers check the end themselves.
 */
public final class DynamoDbFreezes implements AdHocFreezes {

    public static final String PARTITION_KEY = "freezeKey";
    /** Epoch seconds of a freeze's end, after which the TTL may delete it; open-ended freezes have none. */
    public static final String EXPIRES_AT = "expiresAt";

    private final DynamoDbClient dynamo;
    private final java.util.function.Supplier<String> table;

    public DynamoDbFreezes(DynamoDbClient dynamo, String table) {
        this(dynamo, () -> table);
    }

    /** @param table the table's name, asked for on the first call (see {@code Wiring}) */
    public DynamoDbFreezes(DynamoDbClient dynamo, java.util.function.Supplier<String> table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void put(AdHocFreeze freeze) {
        Map<String, AttributeValue> item = new HashMap<>(key(freeze.service(), freeze.environment()));
        item.put("service", s(freeze.service()));
        item.put("environment", s(freeze.environment()));
        item.put("reason", s(freeze.reason()));
        item.put("by", s(freeze.by()));
        item.put("since", s(freeze.since().toString()));
        if (freeze.until() != null) {
            item.put("until", s(freeze.until().toString()));
            item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(freeze.until().getEpochSecond())));
        }
        AwsCalls.call("freeze " + freeze.service() + "/" + freeze.environment(),
                () -> dynamo.putItem(put -> put.tableName(table.get()).item(item)));
    }

    @Override
    public boolean delete(String service, String environment) {
        Map<String, AttributeValue> old = AwsCalls.call("unfreeze " + service + "/" + environment,
                () -> dynamo.deleteItem(delete -> delete.tableName(table.get()).key(key(service, environment))
                        .returnValues(ReturnValue.ALL_OLD))).attributes();
        return old != null && !old.isEmpty();
    }

    @Override
    public Optional<AdHocFreeze> get(String service, String environment) {
        Map<String, AttributeValue> item = AwsCalls.call("read the freeze of " + service + "/" + environment,
                () -> dynamo.getItem(get -> get.tableName(table.get()).key(key(service, environment)).consistentRead(true)))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AdHocFreeze(item.get("service").s(), item.get("environment").s(),
                item.get("reason").s(), item.get("by").s(), Instant.parse(item.get("since").s()),
                item.containsKey("until") ? Instant.parse(item.get("until").s()) : null));
    }

    private static Map<String, AttributeValue> key(String service, String environment) {
        return Map.of(PARTITION_KEY, s(service + "#" + environment));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
