package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One validated state, read once at load: its data-flow fields ({@link StateFields}), its Retry and
 * Catch policies and what its type adds ({@link StateKind}); the interpreter looks no field up by name.
 */
record State(
        String name,
        String type,
        StateFields f,
        boolean end,
        QueryLanguage language,
        List<Retrier> retriers,
        List<Catcher> catchers,
        StateKind kind,
        boolean readsContext) {

    boolean jsonata() {
        return language == QueryLanguage.JSONATA;
    }

    /** A Retry entry; defaults from https://states-language.net/spec.html#retrying-after-error. */
    record Retrier(List<String> errorEquals, int intervalSeconds, int maxAttempts, double backoffRate,
                   Integer maxDelaySeconds, boolean fullJitter) {
    }

    /** A Catch entry (https://states-language.net/spec.html#fallback-states). */
    record Catcher(List<String> errorEquals, String next, JsonNode resultPath, JsonNode output, JsonNode assign) {
    }
}
