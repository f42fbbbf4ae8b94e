package dev.deckhand.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.catalogue.DeployerFunction;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Static checks of {@code statemachine/deployer.asl.json}: the contract between the definition
 * and the handlers, and the rules every Task follows (AWS, "Handle transient Lambda service
 * exceptions": retry Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException,
 * plus Lambda.TooManyRequestsException; "Avoid stuck executions": every Task has TimeoutSeconds).
 *
 * <p>The resilience rules are found from the graph rather than from a list of state names, so a
 * state added later is checked too:
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
        Set<String> reached = reachableFrom("Resolve target environment");
        List<String> all = new ArrayList<>();
        states.fieldNames().forEachRemaining(all::add);
        assertThat(reached).containsExactlyInAnyOrderElementsOf(all);
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
    void theReadmeTableNamesEveryTaskStateWithTheHandlerThatServesIt() {
        // README.md, "What the deployer does": | State | Handler (`action`) | Service | Adapters |
        Map<String, String> handlerByState = new HashMap<>();
        boolean inTable = false;
        for (String line : Fixtures.read("README.md").split("\n")) {
            if (line.startsWith("| State | Handler")) {
                inTable = true;
            } else if (inTable && line.startsWith("| ") && !line.startsWith("|---")) {
                String[] cells = line.split("\\|");
                for (String state : cells[1].trim().split(", ")) {
                    handlerByState.put(state, cells[2].trim());
                }
            } else if (inTable && !line.startsWith("|")) {
                break;
            }
        }
        Map<String, DeployerFunction> byPlaceholder = new HashMap<>();
        DeployerFunction.steps().forEach(step -> byPlaceholder.put("${" + step.placeholder() + "}", step));
        Set<String> tasks = new HashSet<>();
        forEachState((name, state) -> {
            if ("Task".equals(state.path("Type").asText())) {
                tasks.add(name);
                DeployerFunction step = byPlaceholder.get(state.path("Arguments").path("FunctionName").asText());
                assertThat(handlerByState.get(name)).as(name)
                        .startsWith("`" + step.handlerClass().getSimpleName() + "`");
            }
        });
        assertThat(handlerByState.keySet()).containsExactlyInAnyOrderElementsOf(tasks);
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
    void healthRoundsBackOffOneTwoFourUpToSixtySeconds() {
        JsonNode retrier = states.get("Verify health").path("Retry").get(0);

        assertThat(retrier.path("ErrorEquals").toString()).isEqualTo("[\"dev.deckhand.errors.HealthCheckPendingException\"]");
        assertThat(retrier.path("IntervalSeconds").asInt()).isEqualTo(1);
        assertThat(retrier.path("BackoffRate").asDouble()).isEqualTo(2.0);
        assertThat(retrier.path("MaxDelaySeconds").asInt()).isEqualTo(60);
    }

    @Test
    void noWaitStateLeadsIntoACheckOfTheRolloutRollbackMigrationOrLock() {
        // The waiting is event-driven: a Wait→Check loop would notice completion late and pay for each poll.
        List<String> polling = new ArrayList<>();
        forEachState((name, state) -> {
            // A Wait to a computed Timestamp (the end of a freeze) waits once for a known moment; it is not a poll.
            if ("Wait".equals(state.path("Type").asText()) && !state.has("Timestamp")) {
                JsonNode next = states.path(state.path("Next").asText());
                String action = next.path("Arguments").path("Payload").path("action").asText("");
                if (Set.of("check", "checkRollout", "acquireLock").contains(action)) {
                    polling.add(name + " → " + state.path("Next").asText());
                }
            }
        });
        assertThat(polling).isEmpty();
    }

    @Test
    void aStartingStepThatTakesATokenIsNeverReEnteredFromItsHeartbeatPath() {
        // A re-entered start would start a second migration task (and reset its timeout) or a second
        // ECS deployment: a lost event must only ever lead to looks at ECS and to the separate wait.
        List<String> reentered = new ArrayList<>();
        forEachState((name, state) -> {
            String action = state.path("Arguments").path("Payload").path("action").asText("");
            if (state.path("Resource").asText().endsWith(".waitForTaskToken") && Set.of("start", "startVerification", "update").contains(action)) {
                Set<String> afterHeartbeat = reachableFrom(state.path("Catch").get(0).path("Next").asText());
                if (afterHeartbeat.contains(name)) {
                    reentered.add(name);
                }
            }
        });
        assertThat(reentered).isEmpty();
    }

    private static Set<String> reachableFrom(String start) {
        Set<String> reached = new HashSet<>();
        List<String> queue = new ArrayList<>(List.of(start));
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
        return reached;
    }

    @Test
    void everyCallbackStateHandsOverItsTokenAndIsBoundedByAHeartbeatThatLeadsToTheCheck() {
        // Step Functions, "Wait for a Callback with Task Token": the token is in the context object,
        // $states.context.Task.Token; a task waits until SendTaskSuccess, or until HeartbeatSeconds pass
        // without a heartbeat (States.HeartbeatTimeout) or TimeoutSeconds (States.Timeout).
        Map<String, String> callbacks = new LinkedHashMap<>();
        forEachState((name, state) -> {
            if (state.path("Resource").asText().endsWith(".waitForTaskToken") && name.equals("Wait for approval")) {
                // A person's answer has no heartbeat: the environment's timeoutMinutes bounds it, and
                // its end is an outcome of its own (EXPIRED), not a look at ECS.
                assertThat(state.path("Arguments").path("Payload").path("taskToken").asText()).as(name)
                        .isEqualTo("{% $states.context.Task.Token %}");
                assertThat(state.has("HeartbeatSeconds")).as(name).isFalse();
                assertThat(state.path("TimeoutSeconds").asText()).isEqualTo("{% $target.approval.timeoutSeconds %}");
                JsonNode timeoutCatch = state.path("Catch").get(0);
                assertThat(timeoutCatch.path("ErrorEquals").toString()).isEqualTo("[\"States.Timeout\"]");
                assertThat(timeoutCatch.path("Next").asText()).isEqualTo("Record the unapproved attempt");
            } else if (state.path("Resource").asText().endsWith(".waitForTaskToken")) {
                assertThat(state.path("Arguments").path("Payload").path("taskToken").asText()).as(name)
                        .isEqualTo("{% $states.context.Task.Token %}");
                assertThat(state.path("HeartbeatSeconds").asInt()).as(name + " HeartbeatSeconds").isBetween(1, 300);
                assertThat(state.path("TimeoutSeconds").asInt()).as(name + " TimeoutSeconds").isGreaterThan(60);
                JsonNode timeoutCatch = state.path("Catch").get(0);
                assertThat(timeoutCatch.path("ErrorEquals").toString()).as(name).isEqualTo("[\"States.HeartbeatTimeout\"]");
                callbacks.put(name, states.path(timeoutCatch.path("Next").asText()).path("Arguments").path("Payload")
                        .path("action").asText());
            }
        });
        assertThat(callbacks).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Wait for the running deployment", "acquireLock",
                "Start database migration", "check",
                "Update the service", "checkRollout",
                "Wait for the migration", "check",
                "Run the verification task", "check",
                "Wait for the verification task", "check",
                "Wait for the rollout", "checkRollout",
                "Wait for the rollback", "checkRollout"));
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


    private static final Set<String> CAN_CATCH = Set.of("Task", "Parallel", "Map");
    /** The only catches after the service change that may skip Deckhand's rollback: ECS's own rollback ended. */
    private static final Set<List<String>> ROLLED_BACK_BY_ECS = Set.of(
            List.of("dev.deckhand.errors.RolledBackByEcsException"),
            List.of("dev.deckhand.errors.EcsRollbackFailedException"));

    @Test
    void theDeployerHasNoResilienceViolations() {
        Check check = check(definition());

        System.out.printf("deployer.asl.json: %d Tasks checked for TimeoutSeconds and jittered transient retries, "
                        + "%d states after the service change (%d that can catch) checked for a Catch into the rollback"
                        + ": %d violations%n", check.tasks(), check.afterChange().size(), check.catching(),
                check.violations().size());
        assertThat(check.tasks()).isGreaterThanOrEqualTo(15);
        assertThat(check.afterChange()).contains("Update the service", "Check the rollout", "Verify health")
                .doesNotContain("Record the verified release and release the lock", "Report success", "Roll back to the last verified revision");
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
    void onlyEcsOwnRollbackSkipsDeckhandsAndOnlyIntoTheRecord() {
        JsonNode catchers = definition().path("States").path("Check the rollout").path("Catch");
        assertThat(catchers.get(0).path("Next").asText()).isEqualTo("Record the rollback");
        assertThat(catchers.get(1).path("Next").asText()).isEqualTo("Record the failed rollback");

        ObjectNode definition = definition();
        ObjectNode misrouted = (ObjectNode) definition.path("States").path("Check the rollout").path("Catch").get(0);
        misrouted.put("Next", "Verify health");
        assertThat(check(definition).violations()).containsExactly("Check the rollout: catches "
                + "[\"dev.deckhand.errors.RolledBackByEcsException\"] into 'Verify health', not into the rollback");
    }

    @Test
    void aTaskWithoutTimeoutOrJitteredRetryIsNamed() {
        ObjectNode definition = definition();
        ObjectNode states = (ObjectNode) definition.path("States");
        ((ObjectNode) states.path("Prepare the release")).remove("TimeoutSeconds");
        ((ObjectNode) states.path("Report success").path("Retry").get(0)).remove("JitterStrategy");
        ((ArrayNode) states.path("Claim the deployment and take the lock").path("Retry").get(0).path("ErrorEquals"))
                .removeAll().add("dev.deckhand.errors.TransientAwsException");

        assertThat(check(definition).violations()).containsExactlyInAnyOrder(
                "Prepare the release: no TimeoutSeconds",
                "Report success: no Retry with JitterStrategy FULL for " + TRANSIENT_LAMBDA_ERRORS,
                "Claim the deployment and take the lock: no Retry with JitterStrategy FULL for " + TRANSIENT_LAMBDA_ERRORS);
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
        // Asking for approval reports no end: the deployment goes on from there.
        List<String> reports = states.entrySet().stream()
                .filter(entry -> invokes(entry.getValue(), "${NotifyFunctionArn}")
                        || invokes(entry.getValue(), "${RecordFunctionArn}"))
                .filter(entry -> !"AWAITING_APPROVAL".equals(entry.getValue().path("Arguments").path("Payload")
                        .path("outcome").asText()))
                .map(Map.Entry::getKey).toList();
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
                if (errors(catcher).equals(List.of("States.HeartbeatTimeout")) && Set.of("checkRollout", "check")
                        .contains(states.get(next).path("Arguments").path("Payload").path("action").asText())) {
                    continue; // a callback's reconcile: no event within the heartbeat, so look at ECS
                }
                if (ROLLED_BACK_BY_ECS.contains(errors(catcher)) && reports.contains(next)) {
                    continue; // ECS already shifted traffic back (or failed to): record that, roll back nothing more
                }
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
