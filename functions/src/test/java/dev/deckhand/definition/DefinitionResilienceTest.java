package dev.deckhand.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The resilience rules of {@code deployer.asl.json}, found from the graph rather than from a list
 * of state names, so a state added later is checked too:
 * <ul>
 * <li>every Task has {@code TimeoutSeconds} ("Avoid stuck executions", Step Functions best practices)
 * and a retrier for the transient Lambda errors with {@code JitterStrategy: FULL} ("Handle transient
 * Lambda service exceptions"; {@code States.ALL} matches them too, ASL spec "Errors");</li>
 * <li>every state that runs after the ECS service changed (reachable from the Task that asks the
 * deploy function to {@code update}), except the rollback, record and report paths themselves, sends every
 * error to the rollback (the Task that invokes the rollback function), and nothing elsewhere. Only Task, Parallel and Map states can have {@code Catch} (ASL spec
 * "Catch"); Wait and Choice states cannot fail on their own and are counted but not required to.</li>
 * </ul>
 */
class DefinitionResilienceTest {

    private static final List<String> TRANSIENT_LAMBDA_ERRORS = List.of("Lambda.ServiceException",
            "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException");
    private static final Set<String> CAN_CATCH = Set.of("Task", "Parallel", "Map");

    @Test
    void theDeployerHasNoResilienceViolations() {
        Check check = check(definition());

        System.out.printf("deployer.asl.json: %d Tasks checked for TimeoutSeconds and jittered transient retries, "
                        + "%d states after the service change (%d that can catch) checked for a Catch into the rollback"
                        + ": %d violations%n", check.tasks(), check.afterChange().size(), check.catching(),
                check.violations().size());
        assertThat(check.tasks()).isGreaterThanOrEqualTo(15);
        assertThat(check.afterChange()).contains("Update the service", "Check the rollout", "Verify health")
                .doesNotContain("Record the verified release", "Report success", "Roll back to the last verified revision");
        assertThat(check.violations()).as("states that break the resilience rules").isEmpty();
    }

    @Test
    void aStateAfterTheServiceChangeWithoutACatchIsNamed() {
        ObjectNode definition = definition();
        ((ObjectNode) definition.path("States").path("Check the rollout")).remove("Catch");

        assertThat(check(definition).violations())
                .containsExactly("Check the rollout: no Catch of States.ALL into the rollback");
    }

    @Test
    void aCatchThatSkipsTheRollbackIsNamed() {
        ObjectNode definition = definition();
        ArrayNode catchers = (ArrayNode) definition.path("States").path("Verify health").path("Catch");
        ObjectNode skip = catchers.insertObject(0);
        skip.putArray("ErrorEquals").add("dev.deckhand.errors.HealthCheckFailedException");
        skip.put("Next", "Report failure");

        assertThat(check(definition).violations()).containsExactly(
                "Verify health: catches [\"dev.deckhand.errors.HealthCheckFailedException\"] into 'Report failure', "
                        + "not into the rollback");
    }

    @Test
    void aTaskWithoutTimeoutOrJitteredRetryIsNamed() {
        ObjectNode definition = definition();
        ObjectNode states = (ObjectNode) definition.path("States");
        ((ObjectNode) states.path("Prepare the release")).remove("TimeoutSeconds");
        ((ObjectNode) states.path("Report success").path("Retry").get(0)).remove("JitterStrategy");
        ((ArrayNode) states.path("Claim the deployment").path("Retry").get(0).path("ErrorEquals"))
                .removeAll().add("dev.deckhand.errors.TransientAwsException");

        assertThat(check(definition).violations()).containsExactlyInAnyOrder(
                "Prepare the release: no TimeoutSeconds",
                "Report success: no Retry with JitterStrategy FULL for " + TRANSIENT_LAMBDA_ERRORS,
                "Claim the deployment: no Retry with JitterStrategy FULL for " + TRANSIENT_LAMBDA_ERRORS);
    }

    /** What was checked, and what broke a rule (one line per violation, naming the state). */
    record Check(int tasks, Set<String> afterChange, int catching, List<String> violations) {
    }

    static Check check(JsonNode definition) {
        Map<String, JsonNode> states = new LinkedHashMap<>();
        collect(definition.path("States"), states);
        List<String> violations = new ArrayList<>();
        int tasks = 0;
        for (Map.Entry<String, JsonNode> entry : states.entrySet()) {
            if ("Task".equals(entry.getValue().path("Type").asText())) {
                tasks++;
                violations.addAll(taskViolations(entry.getKey(), entry.getValue()));
            }
        }
        String update = only(states, state -> invokes(state, "${DeployFunctionArn}")
                && "update".equals(state.path("Arguments").path("Payload").path("action").asText()), "updates the service");
        String rollback = only(states, state -> invokes(state, "${RollbackFunctionArn}"), "rolls back");
        Set<String> rollbackPath = reachable(states, List.of(rollback));
        // Recording and reporting end the deployment either way: a failure there fails it visibly
        // (record) or changes nothing (report), it never rolls a healthy release back.
        List<String> reports = states.entrySet().stream()
                .filter(entry -> invokes(entry.getValue(), "${NotifyFunctionArn}")
                        || invokes(entry.getValue(), "${RecordFunctionArn}")).map(Map.Entry::getKey).toList();
        Set<String> reportPath = reachable(states, reports);
        Set<String> afterChange = reachable(states, List.of(update));
        afterChange.removeAll(rollbackPath);
        afterChange.removeAll(reportPath);
        int catching = 0;
        for (String name : afterChange) {
            JsonNode state = states.get(name);
            if (!CAN_CATCH.contains(state.path("Type").asText())) {
                continue;
            }
            catching++;
            boolean catchesAll = false;
            for (JsonNode catcher : state.path("Catch")) {
                String next = catcher.path("Next").asText();
                if (!next.equals(rollback)) {
                    violations.add(name + ": catches " + catcher.path("ErrorEquals") + " into '" + next
                            + "', not into the rollback");
                } else if (errors(catcher).contains("States.ALL")) {
                    catchesAll = true;
                }
            }
            if (!catchesAll) {
                violations.add(name + ": no Catch of States.ALL into the rollback");
            }
        }
        return new Check(tasks, afterChange, catching, violations);
    }

    private static List<String> taskViolations(String name, JsonNode task) {
        List<String> violations = new ArrayList<>();
        if (!task.has("TimeoutSeconds") && !task.has("TimeoutSecondsPath")) {
            violations.add(name + ": no TimeoutSeconds");
        }
        boolean retried = false;
        for (JsonNode retrier : task.path("Retry")) {
            List<String> errors = errors(retrier);
            if ((errors.containsAll(TRANSIENT_LAMBDA_ERRORS) || errors.contains("States.ALL"))
                    && "FULL".equals(retrier.path("JitterStrategy").asText())) {
                retried = true;
            }
        }
        if (!retried) {
            violations.add(name + ": no Retry with JitterStrategy FULL for " + TRANSIENT_LAMBDA_ERRORS);
        }
        return violations;
    }

    /** Every state, including those inside Parallel branches and Map item processors. */
    private static void collect(JsonNode states, Map<String, JsonNode> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            into.put(entry.getKey(), entry.getValue());
            entry.getValue().path("Branches").forEach(branch -> collect(branch.path("States"), into));
            collect(entry.getValue().path("ItemProcessor").path("States"), into);
            collect(entry.getValue().path("Iterator").path("States"), into);
        }
    }

    private static Set<String> reachable(Map<String, JsonNode> states, List<String> from) {
        Set<String> reached = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>(from);
        while (!queue.isEmpty()) {
            String name = queue.removeFirst();
            JsonNode state = states.get(name);
            if (state == null || !reached.add(name)) {
                continue;
            }
            for (String key : List.of("Next", "Default")) {
                if (state.hasNonNull(key)) {
                    queue.add(state.get(key).asText());
                }
            }
            state.path("Choices").forEach(choice -> queue.add(choice.path("Next").asText()));
            state.path("Catch").forEach(catcher -> queue.add(catcher.path("Next").asText()));
        }
        return reached;
    }

    private static boolean invokes(JsonNode state, String function) {
        return "Task".equals(state.path("Type").asText())
                && function.equals(state.path("Arguments").path("FunctionName").asText());
    }

    private static String only(Map<String, JsonNode> states, Predicate<JsonNode> role, String what) {
        List<String> matching = states.entrySet().stream().filter(entry -> role.test(entry.getValue()))
                .map(Map.Entry::getKey).toList();
        assertThat(matching).as("the one Task that " + what).hasSize(1);
        return matching.get(0);
    }

    private static List<String> errors(JsonNode retrierOrCatcher) {
        List<String> errors = new ArrayList<>();
        retrierOrCatcher.path("ErrorEquals").forEach(error -> errors.add(error.asText()));
        return errors;
    }

    private static ObjectNode definition() {
        try {
            return (ObjectNode) DeckhandJson.MAPPER.readTree(Fixtures.read("statemachine/deployer.asl.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
