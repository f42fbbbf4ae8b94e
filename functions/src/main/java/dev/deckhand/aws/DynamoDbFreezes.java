package dev.deckhand.aws;

import static dev.deckhand.aws.DynamoDbItems.attributes;
import static dev.deckhand.aws.DynamoDbItems.n;
import static dev.deckhand.aws.DynamoDbItems.on;
import static dev.deckhand.aws.DynamoDbItems.s;
import static dev.deckhand.aws.DynamoDbItems.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.freeze.AdHocFreeze;
import dev.deckhand.freeze.AdHocFreezes;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Ad-hoc freezes, one item per {@code <service>#<environment>} ({@code all#<environment>} for
 * every service). A freeze with an end carries it as {@code expiresAt} for DynamoDB's TTL, which
 * deletes late (HowItWorks TTL: typically within days), so readers check the end themselves.
 */
public final class DynamoDbFreezes implements AdHocFreezes {

    public static final String PARTITION_KEY = "freezeKey";
    /** Epoch seconds of a freeze's end, after which the TTL may delete it; open-ended freezes have none. */
    public static final String EXPIRES_AT = "expiresAt";

    private final AwsJsonClient dynamo;
    private final java.util.function.Supplier<String> table;

    /** @param dynamo DynamoDB ({@link AwsClients#dynamoDb()}) */
    public DynamoDbFreezes(AwsJsonClient dynamo, String table) {
        this(dynamo, () -> table);
    }

    /** @param table the table's name, asked for on the first call (see {@code Wiring}) */
    public DynamoDbFreezes(AwsJsonClient dynamo, java.util.function.Supplier<String> table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void put(AdHocFreeze freeze) {
        ObjectNode item = key(freeze.service(), freeze.environment());
        item.set("service", s(freeze.service()));
        item.set("environment", s(freeze.environment()));
        item.set("reason", s(freeze.reason()));
        item.set("by", s(freeze.by()));
        item.set("since", s(freeze.since().toString()));
        if (freeze.until() != null) {
            item.set("until", s(freeze.until().toString()));
            item.set(EXPIRES_AT, n(freeze.until().getEpochSecond()));
        }
        AwsCalls.call("freeze " + freeze.service() + "/" + freeze.environment(),
                () -> dynamo.call("PutItem", on(table.get()).with("Item", item).json()));
    }

    @Override
    public boolean delete(String service, String environment) {
        // API_DeleteItem: with ReturnValues ALL_OLD the answer's Attributes are the deleted item, if there was one.
        JsonNode old = AwsCalls.call("unfreeze " + service + "/" + environment,
                () -> dynamo.call("DeleteItem", on(table.get()).with("Key", key(service, environment))
                        .with("ReturnValues", "ALL_OLD").json())).path("Attributes");
        return !old.isEmpty();
    }

    @Override
    public Optional<AdHocFreeze> get(String service, String environment) {
        JsonNode item = AwsCalls.call("read the freeze of " + service + "/" + environment,
                () -> dynamo.call("GetItem", on(table.get()).with("Key", key(service, environment))
                        .with("ConsistentRead", true).json()))
                .path("Item");
        if (item.isEmpty()) {
            return Optional.empty();
        }
        String until = text(item, "until");
        return Optional.of(new AdHocFreeze(text(item, "service"), text(item, "environment"),
                text(item, "reason"), text(item, "by"), Instant.parse(text(item, "since")),
                until == null ? null : Instant.parse(until)));
    }

    private static ObjectNode key(String service, String environment) {
        return attributes(Map.of(PARTITION_KEY, s(service + "#" + environment)));
    }
}
