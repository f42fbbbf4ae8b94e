package dev.deckhand.aws;

import static dev.deckhand.aws.DynamoDbItems.attributes;
import static dev.deckhand.aws.DynamoDbItems.n;
import static dev.deckhand.aws.DynamoDbItems.number;
import static dev.deckhand.aws.DynamoDbItems.s;
import static dev.deckhand.aws.DynamoDbItems.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * DynamoDB's attribute values in its wire JSON, as the DynamoDB API reference's AttributeValue page
 * shows them (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html):
 * {@code "S": "Hello"}, {@code "N": "123.45"} ("Numbers are sent across the network to DynamoDB as
 * strings"), {@code "M": {"Name": {"S": "Joe"}, "Age": {"N": "35"}}}, {@code "L": [{"S": "Cookies"}, …]}.
 * Each item is written out and parsed back, as it travels.
 */
class DynamoDbItemsTest {

    private final LoopbackAwsService dynamoDb = new LoopbackAwsService();

    @AfterEach
    void stop() {
        dynamoDb.close();
    }

    @Test
    void stringsAndNumbersTravelAsDynamoDbWritesThem() throws Exception {
        ObjectNode item = attributes(Map.of("name", s("Joe"), "age", n(35), "big", n(Long.MAX_VALUE),
                "negative", n(-7)));

        JsonNode wire = DeckhandJson.MAPPER.readTree(item.toString());

        assertThat(wire.path("name")).isEqualTo(DeckhandJson.MAPPER.readTree("{\"S\":\"Joe\"}"));
        assertThat(wire.path("age")).as("a number travels as a string").isEqualTo(
                DeckhandJson.MAPPER.readTree("{\"N\":\"35\"}"));
        assertThat(text(wire, "name")).isEqualTo("Joe");
        assertThat(number(wire, "age")).isEqualTo(35);
        assertThat(number(wire, "big")).isEqualTo(Long.MAX_VALUE);
        assertThat(number(wire, "negative")).isEqualTo(-7);
    }

    @Test
    void aMissingAttributeOrItemIsNoValue() {
        ObjectNode item = attributes(Map.of("name", s("Joe")));
        // API_GetItem: "If there is no matching item, GetItem does not return any data and there will be
        // no Item element in the response."
        JsonNode noItem = DeckhandJson.MAPPER.createObjectNode().path("Item");

        assertThat(text(item, "nickname")).isNull();
        assertThat(text(noItem, "name")).isNull();
        assertThat(noItem.isEmpty()).isTrue();
        assertThatThrownBy(() -> number(item, "age")).isInstanceOf(IllegalStateException.class)
                .hasMessage("the DynamoDB item has no attribute age");
    }

    @Test
    void anAttributeOfAnotherTypeIsAnError() {
        ObjectNode item = attributes(Map.of("age", n(35), "name", s("Joe"), "rate", s("x")));
        item.set("ratio", DeckhandJson.MAPPER.createObjectNode().put("N", "0.5"));

        assertThatThrownBy(() -> text(item, "age")).isInstanceOf(IllegalStateException.class)
                .hasMessage("the DynamoDB attribute value {\"N\":\"35\"} is not of type S");
        assertThatThrownBy(() -> number(item, "name")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not of type N");
        assertThatThrownBy(() -> number(item, "ratio")).isInstanceOf(IllegalStateException.class)
                .hasMessage("the DynamoDB number 0.5 is not a whole number");
        assertThatThrownBy(() -> s(null)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A write whose condition is false: DynamoDB answers 400 ConditionalCheckFailedException
     * (API_UpdateItem, Errors), namespaced in {@code __type} as DynamoDB's answers are.
     */
    @Test
    void aFailedConditionIsNoAnswer() {
        dynamoDb.answer(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                + "\"message\":\"The conditional request failed\"}");
        AwsJsonClient client = dynamoDb.clients().dynamoDb();

        assertThat(DynamoDbItems.unlessConditionFails(() -> client.call("UpdateItem",
                DynamoDbItems.on("t").with("Key", attributes(Map.of("pk", s("a")))).json()))).isEmpty();
        assertThat(dynamoDb.requests()).hasSize(1);
        assertThat(dynamoDb.requests().get(0).target()).isEqualTo("DynamoDB_20120810.UpdateItem");
        assertThat(dynamoDb.requests().get(0).contentType()).isEqualTo("application/x-amz-json-1.0");
        assertThat(dynamoDb.requests().get(0).json().path("Key").path("pk").path("S").asText()).isEqualTo("a");
    }

    @Test
    void anotherErrorOfAConditionalWriteEscapes() {
        dynamoDb.answer(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\","
                + "\"message\":\"Requested resource not found\"}");
        AwsJsonClient client = dynamoDb.clients().dynamoDb();

        assertThatThrownBy(() -> DynamoDbItems.unlessConditionFails(() -> client.call("UpdateItem",
                DynamoDbItems.on("t").json())))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("ResourceNotFoundException"));
    }
}
