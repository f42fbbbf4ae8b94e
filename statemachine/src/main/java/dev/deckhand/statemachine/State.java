package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One validated state: its raw ASL fields plus the parts the interpreter needs pre-parsed. */
record State(
        String name,
        String type,
        ObjectNode fields,
        QueryLanguage language,
        List<Retrier> retriers,
        List<Catcher> catchers,
        List<StateGraph> branches,
        StateGraph itemProcessor,
        MapSpec map,
        boolean readsContext) {

    boolean jsonata() {
        return language == QueryLanguage.JSONATA;
    }

    JsonNode field(String name) {
        return fields.get(name);
    }

    boolean has(String name) {
        return fields.has(name);
    }

    String text(String name) {
        JsonNode value = fields.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    boolean isEnd() {
        return fields.path("End").asBoolean(false);
    }

    /** A Retry entry; defaults from https://states-language.net/spec.html#retrying-after-error. */
    record Retrier(List<String> errorEquals, int intervalSeconds, int maxAttempts, double backoffRate,
                   Integer maxDelaySeconds, boolean fullJitter) {
    }

    /** A Catch entry (https://states-language.net/spec.html#fallback-states). */
    record Catcher(List<String> errorEquals, String next, ObjectNode fields) {
    }
}
