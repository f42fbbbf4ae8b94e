package dev.deckhand.statemachine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A validated Amazon States Language definition.
 *
 * <p>{@link #parse(String)} rejects what AWS would reject at CreateStateMachine (unknown fields,
 * missing Next/End, unknown targets, unreachable states, fields of the wrong query language) and
 * what this engine does not support (Distributed Map, cross-account Credentials), always naming the
 * state at fault.
 */
public final class StateMachineDefinition {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String json;
    private final StateGraph graph;
    private final Integer timeoutSeconds;

    private StateMachineDefinition(String json, StateGraph graph, Integer timeoutSeconds) {
        this.json = json;
        this.graph = graph;
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * Parses and validates a definition.
     *
     * @throws DefinitionException if the definition is invalid or uses an unsupported feature
     */
    public static StateMachineDefinition parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new DefinitionException("The definition is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null) {
            throw new DefinitionException("The definition is empty");
        }
        StateGraph graph = DefinitionParser.parseTopLevel(root);
        Integer timeout = root.has("TimeoutSeconds") ? root.get("TimeoutSeconds").asInt() : null;
        return new StateMachineDefinition(json, graph, timeout);
    }

    /** The definition text as given. */
    public String json() {
        return json;
    }

    /** The names of the top-level states, in definition order. */
    public java.util.Set<String> stateNames() {
        return graph.states().keySet();
    }

    StateGraph graph() {
        return graph;
    }

    Integer timeoutSeconds() {
        return timeoutSeconds;
    }
}
