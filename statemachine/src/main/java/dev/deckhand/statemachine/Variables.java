package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Workflow variables of one scope. The top-level states share a scope; each Parallel branch and
 * Map iteration gets a child scope that reads the outer ones and keeps its own assignments
 * (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html, "Variable scope").
 */
final class Variables {
    private final Variables parent;
    private final Map<String, JsonNode> own = new LinkedHashMap<>();

    Variables(Variables parent) {
        this.parent = parent;
    }

    Variables child() {
        return new Variables(this);
    }

    /** Every variable visible here, inner scopes shadowing outer ones. */
    synchronized Map<String, JsonNode> visible() {
        if (parent == null && own.isEmpty()) {
            return Map.of(); // the common case of a machine without variables: nothing to copy
        }
        Map<String, JsonNode> all = parent == null ? new LinkedHashMap<>() : new LinkedHashMap<>(parent.visible());
        all.putAll(own);
        return all;
    }

    /** Applies a state's Assign results at once (all were evaluated against the values before it). */
    synchronized void assignAll(Map<String, JsonNode> values) {
        own.putAll(values);
    }

    /** A copy of this scope's own variables (for redrive). */
    synchronized Map<String, JsonNode> ownSnapshot() {
        return new LinkedHashMap<>(own);
    }
}
