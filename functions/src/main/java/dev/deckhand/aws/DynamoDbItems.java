package dev.deckhand.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * DynamoDB's wire JSON for the adapters that call it through {@link AwsJsonClient}: attribute values
 * as DynamoDB sends them, a type name and the value (API_AttributeValue: {@code {"S": "text"}},
 * {@code {"N": "42"}}; "Numbers are sent across the network to DynamoDB as strings"; Deckhand's items
 * hold only these two), items and keys built from them and read back, and the start of every item
 * request.
 */
final class DynamoDbItems {

    /** The error of a write whose ConditionExpression was false (API_PutItem, API_UpdateItem, API_DeleteItem). */
    static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailedException";

    private DynamoDbItems() {
    }

    /** A request on {@code table} ({@code {"TableName": table}}), to which the operation's members are added. */
    static Request on(String table) {
        return new Request(DeckhandJson.MAPPER.createObjectNode().put("TableName", table));
    }

    /** An item request's JSON, built member by member (the members named as in the API reference). */
    record Request(ObjectNode json) {

        Request with(String member, JsonNode value) {
            json.set(member, value);
            return this;
        }

        Request with(String member, String value) {
            json.put(member, value);
            return this;
        }

        Request with(String member, boolean value) {
            json.put(member, value);
            return this;
        }

        Request with(String member, int value) {
            json.put(member, value);
            return this;
        }
    }

    /** An item, key or set of expression values: attribute names to attribute values. */
    static ObjectNode attributes(Map<String, ? extends JsonNode> values) {
        ObjectNode attributes = DeckhandJson.MAPPER.createObjectNode();
        attributes.setAll(values);
        return attributes;
    }

    static ObjectNode s(String value) {
        if (value == null) {
            throw new IllegalArgumentException("a DynamoDB string attribute needs a value");
        }
        return DeckhandJson.MAPPER.createObjectNode().put("S", value);
    }

    static ObjectNode n(long value) {
        return DeckhandJson.MAPPER.createObjectNode().put("N", Long.toString(value));
    }

    /** The string attribute {@code name} of {@code item}, or null when the item (or the attribute) is absent. */
    static String text(JsonNode item, String name) {
        JsonNode value = item.path(name);
        return value.isMissingNode() ? null : text(value);
    }

    /** The number attribute {@code name} of {@code item}, which must be there. */
    static long number(JsonNode item, String name) {
        JsonNode value = item.path(name);
        if (value.isMissingNode()) {
            throw new IllegalStateException("the DynamoDB item has no attribute " + name);
        }
        return number(value);
    }

    static String text(JsonNode value) {
        return typed(value, "S", JsonNode::isTextual).asText();
    }

    static long number(JsonNode value) {
        String digits = typed(value, "N", JsonNode::isTextual).asText();
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the DynamoDB number " + digits + " is not a whole number", e);
        }
    }

    private static JsonNode typed(JsonNode value, String type, Predicate<JsonNode> shape) {
        JsonNode inner = value.path(type);
        if (!shape.test(inner)) {
            throw new IllegalStateException("the DynamoDB attribute value " + value + " is not of type " + type);
        }
        return inner;
    }

    /**
     * Runs a conditional write: its answer, or empty when DynamoDB refused it because the condition
     * was false. Any other error escapes.
     */
    static Optional<JsonNode> unlessConditionFails(Supplier<JsonNode> write) {
        try {
            return Optional.of(write.get());
        } catch (AwsServiceException e) {
            if (AwsCalls.isError(e, CONDITIONAL_CHECK_FAILED)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
