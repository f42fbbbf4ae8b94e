package dev.deckhand.statemachine;

import java.util.Map;

/** The states of a state machine, a Parallel branch or a Map item processor, and where they start. */
record StateGraph(String startAt, Map<String, State> states) {
    State state(String name) {
        return states.get(name);
    }
}
