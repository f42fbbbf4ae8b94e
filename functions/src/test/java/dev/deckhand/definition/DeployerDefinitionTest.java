package dev.deckhand.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.catalogue.DeployerFunction;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Static checks of {@code statemachine/deployer.asl.json}: the contract between the definition
 * and the handlers, and the rules every Task follows (AWS, "Handle transient Lambda service
 * exceptions": retry Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException,
 * plus Lambda.TooManyRequestsException; "Avoid stuck executions": every Task has TimeoutSeconds).
 */
class DeployerDefinitionTest {

    private static final List<String> TRANSIENT_LAMBDA_ERRORS = List.of("Lambda.ServiceException",
            "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException");

    private static JsonNode states;

    @BeforeAll
    static void parse() throws Exception {
        JsonNode definition = DeckhandJson.MAPPER.readTree(Fixtures.read("statemachine/deployer.asl.json"));
        assertThat(definition.path("QueryLanguage").asText()).isEqualTo("JSONata");
        states = definition.path("States");
        assertThat(states.has(definition.path("StartAt").asText())).as("StartAt names a state").isTrue();
    }

    @Test
    void everyTransitionNamesAState() {
        List<String> dangling = new ArrayList<>();
        forEachState((name, state) -> {
            List<JsonNode> targets = new ArrayList<>();
            targets.add(state.get("Next"));
            targets.add(state.get("Default"));
            state.path("Choices").forEach(choice -> targets.add(choice.get("Next")));
            state.path("Catch").forEach(handler -> targets.add(handler.get("Next")));
            targets.stream().filter(target -> target != null && !states.has(target.asText()))
                    .forEach(target -> dangling.add(name + " → " + target.asText()));
        });
        assertThat(dangling).isEmpty();
    }

    @Test
    void everyStateIsReachable() {
        Set<String> reached = new HashSet<>();
        List<String> queue = new ArrayList<>(List.of("Start deployment"));
        while (!queue.isEmpty()) {
            String name = queue.remove(0);
            if (!reached.add(name)) {
                continue;
            }
            JsonNode state = states.get(name);
            List.of("Next", "Default").forEach(key -> {
                if (state.has(key)) {
                    queue.add(state.get(key).asText());
                }
            });
            state.path("Choices").forEach(choice -> queue.add(choice.get("Next").asText()));
            state.path("Catch").forEach(handler -> queue.add(handler.get("Next").asText()));
        }
        List<String> all = new ArrayList<>();
        states.fieldNames().forEachRemaining(all::add);
        assertThat(reached).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void everyTaskHasATimeoutAndRetriesTransientLambdaErrorsWithJitter() {
        List<String> violations = new ArrayList<>();
        forEachState((name, state) -> {
            if (!"Task".equals(state.path("Type").asText())) {
                return;
            }
            if (!state.has("TimeoutSeconds")) {
                violations.add(name + ": no TimeoutSeconds");
            }
            boolean retried = false;
            for (JsonNode retrier : state.path("Retry")) {
                List<String> errors = new ArrayList<>();
                retrier.path("ErrorEquals").forEach(error -> errors.add(error.asText()));
                if ((errors.containsAll(TRANSIENT_LAMBDA_ERRORS) || errors.contains("States.ALL"))
                        && "FULL".equals(retrier.path("JitterStrategy").asText())) {
                    retried = true;
                }
            }
            if (!retried) {
                violations.add(name + ": no Retry with jitter for the transient Lambda errors");
            }
        });
        assertThat(violations).isEmpty();
    }

    @Test
    void everyErrorNameOutsideStatesIsAClassTheHandlersThrow() {
        Set<String> unknown = new HashSet<>();
        forEachState((name, state) -> {
            List<JsonNode> lists = new ArrayList<>();
            state.path("Retry").forEach(retrier -> lists.add(retrier.path("ErrorEquals")));
            state.path("Catch").forEach(handler -> lists.add(handler.path("ErrorEquals")));
            for (JsonNode errors : lists) {
                for (JsonNode error : errors) {
                    String errorName = error.asText();
                    if (errorName.startsWith("States.") || errorName.startsWith("Lambda.")) {
                        continue;
                    }
                    try {
                        Class<?> type = Class.forName(errorName);
                        if (!Throwable.class.isAssignableFrom(type)) {
                            unknown.add(errorName + " (not a Throwable)");
                        }
                    } catch (ClassNotFoundException e) {
                        unknown.add(errorName);
                    }
                }
            }
        });
        assertThat(unknown).isEmpty();
    }

    @Test
    void everyTaskInvokesAStepOfTheCatalogueWithAnActionItAccepts() {
        Map<String, DeployerFunction> byPlaceholder = new HashMap<>();
        DeployerFunction.steps().forEach(step -> byPlaceholder.put("${" + step.placeholder() + "}", step));
        List<String> violations = new ArrayList<>();
        Map<DeployerFunction, Set<String>> used = new HashMap<>();
        forEachState((name, state) -> {
            if (!"Task".equals(state.path("Type").asText())) {
                return;
            }
            String placeholder = state.path("Arguments").path("FunctionName").asText();
            DeployerFunction step = byPlaceholder.get(placeholder);
            if (step == null) {
                violations.add(name + ": " + placeholder + " is no step of the catalogue");
                return;
            }
            Set<String> actions = used.computeIfAbsent(step, ignored -> new HashSet<>());
            JsonNode action = state.path("Arguments").path("Payload").path("action");
            if (action.isMissingNode()) {
                if (!step.actions().isEmpty()) {
                    violations.add(name + ": " + step + " needs an action, one of " + step.actions());
                }
            } else if (!step.actions().contains(action.asText())) {
                violations.add(name + ": " + step + " does not accept action '" + action.asText() + "'");
            } else {
                actions.add(action.asText());
            }
        });
        assertThat(violations).isEmpty();
        // And nothing in the catalogue is dead: every step and each of its actions is invoked.
        assertThat(used.keySet()).containsExactlyInAnyOrderElementsOf(DeployerFunction.steps());
        used.forEach((step, actions) -> assertThat(actions).as(step.toString())
                .containsExactlyInAnyOrderElementsOf(step.actions()));
    }

    @Test
    void everyHandlerOfTheCatalogueIsAClassWithAHandleRequestMethod() {
        for (DeployerFunction function : DeployerFunction.values()) {
            assertThat(function.handlerClass().getMethods()).as(function.toString())
                    .anyMatch(method -> method.getName().equals("handleRequest"));
            assertThat(function.handlerReference()).isEqualTo(function.handlerClass().getName() + "::handleRequest");
        }
    }

    @Test
    void everyStateAfterTheServiceChangedCatchesIntoTheRollback() {
        for (String name : List.of("Update the service", "Check the rollout", "Verify health")) {
            JsonNode handler = states.get(name).path("Catch").get(0);
            assertThat(handler.path("ErrorEquals").toString()).as(name).isEqualTo("[\"States.ALL\"]");
            assertThat(handler.path("Next").asText()).as(name).isEqualTo("Roll back to the last verified revision");
        }
    }

    @Test
    void healthRoundsBackOffOneTwoFourUpToSixtySeconds() {
        JsonNode retrier = states.get("Verify health").path("Retry").get(0);

        assertThat(retrier.path("ErrorEquals").toString()).isEqualTo("[\"dev.deckhand.errors.HealthCheckPendingException\"]");
        assertThat(retrier.path("IntervalSeconds").asInt()).isEqualTo(1);
        assertThat(retrier.path("BackoffRate").asDouble()).isEqualTo(2.0);
        assertThat(retrier.path("MaxDelaySeconds").asInt()).isEqualTo(60);
    }

    private static void forEachState(java.util.function.BiConsumer<String, JsonNode> action) {
        for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            action.accept(entry.getKey(), entry.getValue());
        }
    }

    @Test
    void verifyHealthGivesTheLongestRoundTheConfigurationAllowsTimeToFinish() {
        // HealthCheckSettings.MAX_ROUND_SECONDS is what the loader allows one round of probes.
        int timeout = states.path("Verify health").path("TimeoutSeconds").asInt();
        assertThat(timeout).isGreaterThanOrEqualTo(dev.deckhand.config.HealthCheckSettings.MAX_ROUND_SECONDS + 10);
    }
}
