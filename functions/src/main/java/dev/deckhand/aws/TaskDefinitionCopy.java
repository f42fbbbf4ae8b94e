package dev.deckhand.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import java.util.List;

/**
 * Copies a described task definition into a RegisterTaskDefinition request: exactly the members
 * RegisterTaskDefinition's Request Syntax lists (ECS API reference, API_RegisterTaskDefinition),
 * in its order, so a deployment never drifts from what is running and a read-only member of the
 * description (taskDefinitionArn, revision, status, requiresAttributes, compatibilities,
 * registeredAt, registeredBy, deregisteredAt …) is never sent.
 */
final class TaskDefinitionCopy {

    /**
     * API_RegisterTaskDefinition, Request Parameters. {@code tags} are not part of a task definition:
     * DescribeTaskDefinition answers them beside it (include TAGS), so the caller gives them.
     */
    static final List<String> REGISTRABLE = List.of("family", "taskRoleArn", "executionRoleArn", "networkMode",
            "containerDefinitions", "volumes", "placementConstraints", "requiresCompatibilities", "cpu", "memory",
            "tags", "pidMode", "ipcMode", "proxyConfiguration", "inferenceAccelerators", "ephemeralStorage",
            "runtimePlatform", "enableFaultInjection");

    private TaskDefinitionCopy() {
    }

    /**
     * The registration request for {@code taskDefinition} (DescribeTaskDefinition's
     * {@code taskDefinition}) carrying {@code tags}; members absent or null in the description are left out.
     */
    static ObjectNode of(JsonNode taskDefinition, List<JsonNode> tags) {
        ObjectNode request = DeckhandJson.MAPPER.createObjectNode();
        for (String member : REGISTRABLE) {
            if (member.equals("tags")) {
                if (!tags.isEmpty()) {
                    ArrayNode copied = request.putArray("tags");
                    tags.forEach(tag -> copied.add(tag.deepCopy()));
                }
                continue;
            }
            JsonNode value = taskDefinition.get(member);
            if (value != null && !value.isNull()) {
                request.set(member, value.deepCopy());
            }
        }
        return request;
    }
}
