package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** One registered revision of a task definition family. Its JSON is the API's TaskDefinition shape. */
final class TaskDefinition {

    record Container(String name, String image, boolean essential) {
    }

    final String arn;
    final String family;
    final int revision;
    final List<Container> containers;
    final ObjectNode json;
    /** The {@code tags} given at registration ([{key, value}]); shown only when asked for with include TAGS. */
    final ArrayNode tags;
    /** When RegisterTaskDefinition answered, on the simulated clock. */
    final Instant registeredAt;
    String status = "ACTIVE";

    TaskDefinition(String arn, String family, int revision, List<Container> containers, ObjectNode json,
                   ArrayNode tags, Instant registeredAt) {
        this.arn = arn;
        this.registeredAt = registeredAt;
        this.family = family;
        this.revision = revision;
        this.containers = containers;
        this.json = json;
        this.tags = tags;
    }

    boolean active() {
        return status.equals("ACTIVE");
    }

    boolean usesAwsvpc() {
        return json.path("networkMode").asText().equals("awsvpc");
    }

    /** The container a load balancer would send traffic to: the first essential one. */
    Container servingContainer() {
        return containers.stream().filter(Container::essential).findFirst().orElse(containers.get(0));
    }
}
