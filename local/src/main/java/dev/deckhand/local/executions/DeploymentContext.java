package dev.deckhand.local.executions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * What an execution of the deployer serves, read from its history: the target resolve-env chose
 * (service, environment, tag) and, after a rollback, the image it rolled back to. Each comes from
 * the output of the state that decided it, so it reads the same on AWS as locally.
 *
 * @param target       "storefront/dev", or empty before (or without) a decision
 * @param tag          the pushed or promoted tag, or empty
 * @param rolledBackTo the image the rollback rolled out, or empty
 */
public record DeploymentContext(Optional<String> target, Optional<String> tag, Optional<String> rolledBackTo) {

    /** The state whose output is resolve-env's decision. */
    static final String RESOLVE_STATE = "Resolve target environment";
    /** The state whose output is the rollback's rollout. */
    static final String ROLLBACK_STATE = "Roll back to the last verified revision";

    public static DeploymentContext of(List<HistoryEvent> history) {
        Optional<JsonNode> resolved = exitOutput(history, RESOLVE_STATE);
        Optional<String> target = resolved.filter(decision -> decision.hasNonNull("environment"))
                .map(decision -> decision.path("service").asText() + "/" + decision.path("environment").asText());
        Optional<String> tag = resolved.map(decision -> decision.path("image").path("tag").asText(null))
                .or(() -> history.stream().filter(event -> event.type() == HistoryEventType.EXECUTION_STARTED)
                        .findFirst().flatMap(started -> parse(started.executionStartedEventDetails().input()))
                        .map(input -> input.path("detail").path("image-tag").asText(null)));
        Optional<String> rolledBackTo = exitOutput(history, ROLLBACK_STATE)
                .map(rollout -> rollout.path("image").asText(null));
        return new DeploymentContext(target, tag, rolledBackTo);
    }

    /** "tag main-3 → storefront/dev", as much of it as is known. */
    public String describe() {
        String serves = tag.map(t -> "tag " + t).orElse("");
        if (target.isPresent()) {
            serves += (serves.isEmpty() ? "" : " → ") + target.get();
        }
        return serves;
    }

    private static Optional<JsonNode> exitOutput(List<HistoryEvent> history, String state) {
        for (int i = history.size() - 1; i >= 0; i--) {
            HistoryEvent event = history.get(i);
            if (event.type() == HistoryEventType.TASK_STATE_EXITED && state.equals(event.stateExitedEventDetails().name())) {
                return parse(event.stateExitedEventDetails().output());
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> parse(String json) {
        try {
            return json == null ? Optional.empty() : Optional.ofNullable(DeckhandJson.MAPPER.readTree(json));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
