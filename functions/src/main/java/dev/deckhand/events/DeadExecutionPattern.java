package dev.deckhand.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The EventBridge pattern that sends the deployer's dead executions (ABORTED, FAILED, TIMED_OUT)
 * to the lock cleanup. The one source is {@code statemachine/triggers/dead-execution.json}; this
 * fills in the state machine's ARN. The CDK app deploys exactly this pattern, the local cloud
 * matches exactly this pattern.
 */
public final class DeadExecutionPattern {

    static final String RESOURCE = "/triggers/dead-execution.json";

    private DeadExecutionPattern() {
    }

    public static String forStateMachine(String stateMachineArn) {
        try (InputStream in = DeadExecutionPattern.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            JsonNode pattern = DeckhandJson.MAPPER.readTree(in);
            ((ObjectNode) pattern.get("detail")).putArray("stateMachineArn").add(stateMachineArn);
            return pattern.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
