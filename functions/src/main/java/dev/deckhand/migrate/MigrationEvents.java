package dev.deckhand.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.wait.EventJudge;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a one-off task from its STOPPED event, which carries what {@link MigrationVerdict} needs:
 * the containers' exit codes and reasons, the stop code and reason ("Amazon ECS task state change
 * events"). A success is {@code SUCCEEDED}; any other end is {@code STOPPED}, and "Check the …"
 * then describes the task and explains the failure with its log tail.
 */
public final class MigrationEvents implements EventJudge {

    @Override
    public String verdict(JsonNode started, JsonNode detail) {
        String container = started.path("container").asText();
        MigrationStatus status = MigrationVerdict.judge(snapshot(detail), container);
        boolean succeeded = status instanceof MigrationStatus.Succeeded;
        return DeckhandJson.MAPPER.createObjectNode()
                .put("status", succeeded ? "SUCCEEDED" : "STOPPED")
                .put("taskArn", detail.path("taskArn").asText())
                .put("detail", succeeded ? "exit code 0" : "the task stopped; the check explains why")
                .set("migration", started).toString();
    }

    static TaskSnapshot snapshot(JsonNode detail) {
        List<ContainerSnapshot> containers = new ArrayList<>();
        for (JsonNode container : detail.path("containers")) {
            containers.add(new ContainerSnapshot(container.path("name").asText(), text(container, "lastStatus"),
                    container.hasNonNull("exitCode") ? container.path("exitCode").asInt() : null,
                    text(container, "reason")));
        }
        return new TaskSnapshot(detail.path("taskArn").asText(), text(detail, "lastStatus"), text(detail, "stopCode"),
                text(detail, "stoppedReason"), containers);
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.path(field).asText() : null;
    }
}
