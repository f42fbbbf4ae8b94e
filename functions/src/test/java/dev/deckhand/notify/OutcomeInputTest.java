package dev.deckhand.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.catalogue.DeployerFunction;
import dev.deckhand.coordinate.CoordinationService.ClaimedAndLocked;
import dev.deckhand.deploy.Release;
import dev.deckhand.deploy.Rollout;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.health.HealthJudgement;
import dev.deckhand.health.HealthReport;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.resolve.Resolution;
import dev.deckhand.testing.Fixtures;
import dev.deckhand.testing.Targets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The outcome document of the "Record …" and "Report …" states, parsed once at the door: every
 * document the definition sends parses, and each malformed one is refused with one line naming
 * the field.
 */
class OutcomeInputTest {

    private static final String EXECUTION = "arn:aws:states:eu-west-1:123456789012:execution:deployer:x";
    private static final String STARTED = "2026-12-06T11:50:00Z";
    private static final String TASK_DEFINITION = "arn:aws:ecs:eu-west-1:123456789012:task-definition/storefront-dev:8";

    private static final DeploymentTarget TARGET = Targets.storefrontDev("feature-x", "ab");

    /**
     * What each variable holds when a "Record …" or "Report …" state reads it, by the payload
     * field that passes it: the real types the steps return (resolve-env, coordinate, deploy-ecs,
     * health-check, rollback), and the objects the definition's Catch and Assign build.
     */
    private static Map<String, JsonNode> samples() throws Exception {
        Map<String, JsonNode> samples = new LinkedHashMap<>();
        samples.put("target", json(new Resolution.Deploy(TARGET)));
        samples.put("ignored", json(new Resolution.Ignored("no environment deploys the tag wip", "acme/storefront", "wip")));
        samples.put("request", DeckhandJson.MAPPER.readTree(Fixtures.read("events/ecr/push-dev-feature.json")));
        samples.put("claim", json(new ClaimedAndLocked("PROCEED", 1, false, null, EXECUTION,
                Instant.parse(STARTED), "HOLD", null)));
        samples.put("release", json(new Release(TASK_DEFINITION.replace(":8", ":7"), TASK_DEFINITION, "app", false)));
        samples.put("rollout", json(new Rollout("ecs-svc/1", TASK_DEFINITION, TARGET.image().uri(),
                Instant.parse("2026-12-06T11:55:00Z"), null)));
        samples.put("health", json(new HealthReport(true, 3, List.of(new HealthJudgement(true, 200, "ok")))));
        samples.put("verification", DeckhandJson.MAPPER.createObjectNode().put("taskArn", "arn:task").put("exitCode", 0));
        samples.put("rollback", json(new Rollout("ecs-svc/2", TASK_DEFINITION.replace(":8", ":7"), TARGET.image().uri(),
                Instant.parse("2026-12-06T11:58:00Z"), null)));
        samples.put("failure", DeckhandJson.MAPPER.createObjectNode().put("step", "health")
                .put("error", "dev.deckhand.errors.UnhealthyException").put("cause", "{\"errorMessage\": \"503\"}"));
        samples.put("rollbackFailure", DeckhandJson.MAPPER.createObjectNode()
                .put("error", "dev.deckhand.errors.RolloutFailedException").put("cause", "the rollback failed"));
        samples.put("approval", DeckhandJson.MAPPER.createObjectNode().put("decision", "APPROVED")
                .put("by", "arn:aws:iam::123456789012:user/release-manager").put("at", "2026-12-06T11:53:00Z"));
        samples.put("timings", DeckhandJson.MAPPER.createObjectNode().put("started", STARTED)
                .put("resolved", "2026-12-06T11:50:01.123Z").put("updated", "2026-12-06T11:55:00Z")
                .put("verified", "2026-12-06T11:57:00.5Z"));
        samples.put("executionArn", DeckhandJson.MAPPER.getNodeFactory().textNode(EXECUTION));
        samples.put("startedAt", DeckhandJson.MAPPER.getNodeFactory().textNode(STARTED));
        return samples;
    }

    /** One document per state that invokes record or notify, and per outcome its expression can yield. */
    private static Map<String, ObjectNode> documentsOfTheDefinition() throws Exception {
        JsonNode states = DeckhandJson.MAPPER.readTree(Fixtures.read("statemachine/deployer.asl.json")).path("States");
        List<String> functions = List.of("${" + DeployerFunction.RECORD.placeholder() + "}",
                "${" + DeployerFunction.NOTIFY.placeholder() + "}");
        Map<String, JsonNode> samples = samples();
        Map<String, ObjectNode> documents = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> state = it.next();
            JsonNode arguments = state.getValue().path("Arguments");
            if (!functions.contains(arguments.path("FunctionName").asText())) {
                continue;
            }
            ObjectNode document = DeckhandJson.MAPPER.createObjectNode();
            List<String> outcomes = new ArrayList<>();
            arguments.path("Payload").fields().forEachRemaining(field -> {
                String expression = field.getValue().asText();
                if (!field.getValue().isTextual() || !expression.startsWith("{%")) {
                    document.set(field.getKey(), field.getValue()); // a literal, as written
                } else if (field.getKey().equals("outcome")) {
                    // An expression choosing the outcome: every outcome it names.
                    Matcher literal = Pattern.compile("'([A-Z_]+)'").matcher(expression);
                    while (literal.find()) {
                        outcomes.add(literal.group(1));
                    }
                } else {
                    assertThat(samples).as("a sample of %s (state %s)", field.getKey(), state.getKey())
                            .containsKey(field.getKey());
                    document.set(field.getKey(), samples.get(field.getKey()).deepCopy());
                }
            });
            if (outcomes.isEmpty()) {
                documents.put(state.getKey(), document);
            }
            for (String outcome : outcomes.stream().distinct().toList()) {
                documents.put(state.getKey() + " (" + outcome + ")", document.deepCopy().put("outcome", outcome));
            }
        }
        return documents;
    }

    @Test
    void everyDocumentTheDefinitionSendsParses() throws Exception {
        Map<String, ObjectNode> documents = documentsOfTheDefinition();
        assertThat(documents).containsKeys("Report ignored push", "Report rejected request", "Report duplicate",
                "Record the superseded attempt", "Record the unapproved attempt (REJECTED)",
                "Record the unapproved attempt (EXPIRED)", "Ask for approval",
                "Record the verified release and release the lock", "Report success", "Record the rollback",
                "Record the failed rollback", "Record the failure", "Report failure");

        documents.forEach((state, document) -> {
            OutcomeInput input = OutcomeInput.parse(document);
            assertThat(input.outcome().name()).as(state).isEqualTo(document.path("outcome").asText());
            assertThat(input.executionArn()).as(state).isEqualTo(EXECUTION);
            if (document.has("target")) {
                assertThat(input.subject()).as(state).isEqualTo(new OutcomeInput.Deployment(TARGET));
                assertThat(input.claim().proceeds()).as(state).isTrue();
                assertThat(input.claim().attempt()).as(state).isEqualTo(1);
            }
            if (document.has("release")) {
                assertThat(input.release()).as(state).isEqualTo(
                        new OutcomeInput.Release(TASK_DEFINITION, TASK_DEFINITION.replace(":8", ":7")));
            }
            if (document.has("startedAt")) {
                assertThat(input.startedAt()).as(state).isEqualTo(Instant.parse(STARTED));
            }
            if (document.has("timings")) {
                assertThat(input.verifiedAt()).as(state).isEqualTo(Instant.parse("2026-12-06T11:57:00.5Z"));
            }
            assertThat(input.releaseLock()).as(state).isEqualTo(state.equals("Record the verified release and release the lock"));
        });
        assertThat(OutcomeInput.parse(documents.get("Report ignored push")).subject()).isEqualTo(new OutcomeInput.Ignored(
                new Resolution.Ignored("no environment deploys the tag wip", "acme/storefront", "wip")));
        assertThat(OutcomeInput.parse(documents.get("Report rejected request")).subject())
                .isInstanceOf(OutcomeInput.Refused.class);
        OutcomeInput rollback = OutcomeInput.parse(documents.get("Record the failed rollback"));
        assertThat(rollback.failure()).isEqualTo(new OutcomeInput.Failure("dev.deckhand.errors.UnhealthyException",
                "{\"errorMessage\": \"503\"}"));
        assertThat(rollback.rollbackFailure().cause()).isEqualTo("the rollback failed");
        OutcomeInput success = OutcomeInput.parse(documents.get("Report success"));
        assertThat(success.healthRounds()).isEqualTo(3);
        // What the steps reported is kept as they reported it, in the order the history's details keep it.
        assertThat(success.steps().fieldNames()).toIterable()
                .containsExactly("timings", "release", "rollout", "health", "verification");
        assertThat(success.steps().get("health")).isEqualTo(documents.get("Report success").get("health"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an unknown outcome          | /outcome          | \"DONE\"                  | outcome: 'DONE' is not SUCCEEDED, FAILED, ROLLED_BACK, ROLLBACK_FAILED, IGNORED, DUPLICATE, SUPERSEDED, REJECTED, EXPIRED, AWAITING_APPROVAL",
        "no outcome                  | /outcome          |                           | outcome: '' is not SUCCEEDED, FAILED, ROLLED_BACK, ROLLBACK_FAILED, IGNORED, DUPLICATE, SUPERSEDED, REJECTED, EXPIRED, AWAITING_APPROVAL",
        "an outcome no state reports | /outcome          | \"RUNNING\"               | outcome: 'RUNNING' is not SUCCEEDED, FAILED, ROLLED_BACK, ROLLBACK_FAILED, IGNORED, DUPLICATE, SUPERSEDED, REJECTED, EXPIRED, AWAITING_APPROVAL",
        "an outcome that is a number | /outcome          | 3                         | outcome: '' is not SUCCEEDED, FAILED, ROLLED_BACK, ROLLBACK_FAILED, IGNORED, DUPLICATE, SUPERSEDED, REJECTED, EXPIRED, AWAITING_APPROVAL",
        "no target                   | /target           |                           | target: required",
        "a null target               | /target           | null                      | target: required",
        "a target that is text       | /target           | \"storefront/dev\"        | target: not an object",
        "a target without its id     | /target/deploymentId |                        | target.deploymentId: required",
        "a target without its image  | /target/image     |                           | target.image: required",
        "no executionArn             | /executionArn     |                           | executionArn: required",
        "a blank executionArn        | /executionArn     | \" \"                     | executionArn: required",
        "a startedAt that is no time | /startedAt        | \"yesterday\"             | startedAt: not an ISO-8601 instant",
        "a claim that is text        | /claim            | \"PROCEED\"               | claim: not an object",
        "an attempt that is text     | /claim/attempt    | \"1\"                     | claim.attempt: not a whole number",
        "an attempt with a fraction  | /claim/attempt    | 1.5                       | claim.attempt: not a whole number",
        "a decision that is a number | /claim/decision   | 1                         | claim.decision: not a string",
        "a release that is an array  | /release          | []                        | release: not an object",
        "a revision that is a number | /release/taskDefinition | 8                   | release.taskDefinition: not a string",
        "a failure that is text      | /failure          | \"boom\"                  | failure: not an object",
        "a failure's error as object | /failure/error    | {}                        | failure.error: not a string",
        "a verified time that is not | /timings/verified | \"soon\"                  | timings.verified: not an ISO-8601 instant",
        "a health round that is text | /health/round     | \"3\"                     | health.round: not a whole number",
        "a rollback by nobody known  | /rollback/by      | 7                         | rollback.by: not a string",
        "an approver that is a list  | /approval/by      | []                        | approval.by: not a string",
        "releaseLock that is text    | /releaseLock      | \"yes\"                   | releaseLock: not true or false",
    })
    void aMalformedDocumentIsRefusedWithOneLineNamingTheField(String what, String pointer, String value, String message)
            throws Exception {
        ObjectNode document = malformable();
        set(document, pointer, value == null ? null : DeckhandJson.MAPPER.readTree(value));

        InvalidInputException refused = catchThrowableOfType(InvalidInputException.class, () -> OutcomeInput.parse(document));

        assertThat(refused).as(what).isNotNull();
        assertThat(refused.getMessage()).isEqualTo(message);
    }

    @Test
    void anIgnoredPushNeedsWhatWasIgnoredAndReleasesNoLock() {
        ObjectNode ignored = DeckhandJson.MAPPER.createObjectNode().put("outcome", "IGNORED").put("executionArn", EXECUTION);
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> OutcomeInput.parse(ignored)))
                .hasMessage("ignored: required for outcome IGNORED");

        ignored.putObject("ignored").put("reason", "no environment deploys the tag wip");
        ignored.put("releaseLock", true);
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> OutcomeInput.parse(ignored)))
                .hasMessage("releaseLock: needs a target");
    }

    @Test
    void aRequestIsOnlyAnOutcomeWithoutTargetWhenItFailed() {
        ObjectNode refused = DeckhandJson.MAPPER.createObjectNode().put("outcome", "SUCCEEDED").put("executionArn", EXECUTION);
        refused.putObject("request").put("source", "aws.ecr");
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> OutcomeInput.parse(refused)))
                .hasMessage("target: required");

        refused.put("outcome", "FAILED");
        assertThat(OutcomeInput.parse(refused).subject()).isInstanceOf(OutcomeInput.Refused.class);
        // An execution's input is any JSON text; the refused one is reported whatever it was.
        refused.putNull("request");
        assertThat(OutcomeInput.parse(refused).subject()).isInstanceOf(OutcomeInput.Refused.class);
    }

    @Test
    void aTargetOfTheWrongShapeIsRefusedOnOneLineNamingTheTarget() throws Exception {
        ObjectNode document = malformable();
        ((ObjectNode) document.get("target")).put("trigger", "cron");
        ObjectNode notAnObject = malformable().put("outcome", "SUCCEEDED");
        notAnObject.set("startedAt", DeckhandJson.MAPPER.createObjectNode());

        InvalidInputException refused = catchThrowableOfType(InvalidInputException.class, () -> OutcomeInput.parse(document));

        assertThat(refused.getMessage()).startsWith("target: ").doesNotContain("\n");
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> OutcomeInput.parse(notAnObject)))
                .hasMessage("startedAt: not a string");
        assertThat(catchThrowableOfType(InvalidInputException.class,
                () -> OutcomeInput.parse(DeckhandJson.MAPPER.createArrayNode()))).hasMessage("input: not a JSON object");
    }

    /** "Record the failed rollback"'s document with every part the parser reads, ready to be broken. */
    private static ObjectNode malformable() throws Exception {
        ObjectNode document = documentsOfTheDefinition().get("Record the failed rollback");
        Map<String, JsonNode> samples = samples();
        for (String part : List.of("health", "approval", "rollback")) {
            document.set(part, samples.get(part).deepCopy());
        }
        document.put("releaseLock", false);
        return document;
    }

    /** Sets (or, for {@code null}, removes) the field a JSON pointer names. */
    private static void set(ObjectNode document, String pointer, JsonNode value) {
        int last = pointer.lastIndexOf('/');
        ObjectNode parent = (ObjectNode) document.at(pointer.substring(0, last));
        String field = pointer.substring(last + 1);
        if (value == null) {
            parent.remove(field);
        } else {
            parent.set(field, value);
        }
    }

    private static JsonNode json(Object value) {
        return DeckhandJson.MAPPER.valueToTree(value);
    }

}
