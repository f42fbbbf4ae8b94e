package dev.deckhand.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The engine's JSON text, which history events and the 256 KiB check are made of. */
class JsonTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void writeGivesTheMappersTextForEveryKindOfNode() throws Exception {
        ObjectNode node = NODES.objectNode();
        node.put("int", 7).put("long", 12_345_678_901L).put("big", new BigInteger("123456789012345678901234567890"))
                .put("double", 1.0).put("fraction", 0.1).put("float", 2.5f)
                .put("decimal", new BigDecimal("1.50")).put("text", "quote \" backslash \\ tab \t é ☃ 😀")
                .put("true", true).putNull("null");
        node.putObject("empty");
        ArrayNode array = node.putArray("array");
        array.add(1).add("two").addNull().addArray();
        node.putObject("nested").putObject("deeper").put("k", "v");

        for (JsonNode value : new JsonNode[] {node, array, NODES.textNode("x"), NODES.numberNode(3), NODES.nullNode()}) {
            assertThat(Json.write(value)).isEqualTo(Json.MAPPER.writeValueAsString(value));
        }
        assertThat(Json.parse(Json.write(node))).isEqualTo(Json.parse(Json.MAPPER.writeValueAsString(node)));
    }
}
