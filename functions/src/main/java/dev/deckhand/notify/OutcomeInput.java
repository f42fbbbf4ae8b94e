package dev.deckhand.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.resolve.Resolution;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a "Record …" or "Report …" state passes to record and notify: the outcome document, parsed
 * once at the JSON door. The fields Deckhand decides on are typed; what the steps reported (the
 * release, rollout, health, failure …) is also kept as they reported it, for the history's details
 * and the report's diagnostics.
 *
 * @param claim the claim's answer, or {@code null} before the deployment was claimed
 * @param startedAt when the execution started, or {@code null} when the state does not pass it
 * @param release what "Prepare the release" decided, or {@code null}
 * @param approval the person's answer to the approval request, or {@code null}
 * @param rolledBackBy who rolled the service back ({@code ECS} when ECS did it itself), or {@code null}
 * @param failure why the deployment failed, or {@code null}
 * @param rollbackFailure why the rollback failed, or {@code null}
 * @param healthRounds how many health-check rounds the verified release took, or {@code null}
 * @param verifiedAt when health was verified ({@code timings.verified}), or {@code null}
 * @param steps what the steps reported, as they reported it and in the definition's order:
 *     timings, release, approval, rollout, health, verification, failure, rollback, rollbackFailure
 * @param releaseLock whether record releases the environment's lock once the history is written
 */
public record OutcomeInput(
        Outcome outcome,
        Subject subject,
        Claim claim,
        String executionArn,
        Instant startedAt,
        Release release,
        Approval approval,
        String rolledBackBy,
        Failure failure,
        Failure rollbackFailure,
        Integer healthRounds,
        Instant verifiedAt,
        ObjectNode steps,
        boolean releaseLock) {

    /** The outcomes a state reports: RUNNING is no outcome, and ABORTED is found by the lock cleanup, never reported. */
    public static final Set<Outcome> REPORTED = EnumSet.complementOf(EnumSet.of(Outcome.RUNNING, Outcome.ABORTED));

    /** The parts the steps report, in the order the history's details keep them. */
    private static final List<String> STEPS = List.of("timings", "release", "approval", "rollout", "health",
            "verification", "failure", "rollback", "rollbackFailure");

    /** What the outcome is about. */
    public sealed interface Subject {
    }

    /** A deployment to a target (every outcome after resolve-env chose one). */
    public record Deployment(DeploymentTarget target) implements Subject {
    }

    /** A push or request resolve-env ignored ("Report ignored push"). */
    public record Ignored(Resolution.Ignored resolution) implements Subject {
    }

    /** A request refused before it had a target ("Report rejected request"): the input as it came. */
    public record Refused(JsonNode request) implements Subject {
    }

    /** The claim's answer: {@code PROCEED} or {@code DUPLICATE}, the attempt, why it is a duplicate. */
    public record Claim(String decision, Integer attempt, String reason) {
        /** Whether this execution claimed the deployment as an attempt of its own. */
        public boolean proceeds() {
            return "PROCEED".equals(decision);
        }
    }

    /** The release's task-definition revision, and the one the service ran before ({@code null} for none). */
    public record Release(String taskDefinition, String previousTaskDefinition) {
    }

    /** Who answered the approval request, with what comment ({@code null} for none). */
    public record Approval(String by, String comment) {
    }

    /** A failure as the definition's Catch keeps it: the error name and the runtime's cause. */
    public record Failure(String error, String cause) {
    }

    /** The deployment target, or {@code null} for an ignored or refused request. */
    public DeploymentTarget target() {
        return subject instanceof Deployment deployment ? deployment.target() : null;
    }

    /** Parses a state's payload, or fails with one line naming the first field that is wrong. */
    public static OutcomeInput parse(JsonNode event) {
        if (!event.isObject()) {
            throw new InvalidInputException("input: not a JSON object");
        }
        Outcome outcome = outcomeIn(event);
        Subject subject = subjectIn(event, outcome);
        String executionArn = textIn(event, "executionArn", "executionArn");
        if (executionArn == null || executionArn.isBlank()) {
            throw new InvalidInputException("executionArn: required");
        }
        ObjectNode steps = DeckhandJson.MAPPER.createObjectNode();
        for (String step : STEPS) {
            JsonNode value = objectIn(event, step);
            if (value != null) {
                steps.set(step, value);
            }
        }
        JsonNode claim = objectIn(event, "claim");
        JsonNode release = steps.get("release");
        JsonNode approval = steps.get("approval");
        JsonNode rollback = steps.get("rollback");
        JsonNode health = steps.get("health");
        JsonNode timings = steps.get("timings");
        boolean releaseLock = releaseLockIn(event);
        if (releaseLock && !(subject instanceof Deployment)) {
            throw new InvalidInputException("releaseLock: needs a target");
        }
        return new OutcomeInput(outcome, subject,
                claim == null ? null : new Claim(textIn(claim, "decision", "claim.decision"),
                        wholeNumberIn(claim, "attempt", "claim.attempt"), textIn(claim, "reason", "claim.reason")),
                executionArn, instantIn(event, "startedAt", "startedAt"),
                release == null ? null : new Release(textIn(release, "taskDefinition", "release.taskDefinition"),
                        textIn(release, "previousTaskDefinition", "release.previousTaskDefinition")),
                approval == null ? null : new Approval(textIn(approval, "by", "approval.by"),
                        textIn(approval, "comment", "approval.comment")),
                rollback == null ? null : textIn(rollback, "by", "rollback.by"),
                failureIn(steps, "failure"), failureIn(steps, "rollbackFailure"),
                health == null ? null : wholeNumberIn(health, "round", "health.round"),
                timings == null ? null : instantIn(timings, "verified", "timings.verified"),
                steps, releaseLock);
    }

    private static Outcome outcomeIn(JsonNode event) {
        String name = event.path("outcome").isTextual() ? event.path("outcome").asText() : "";
        return REPORTED.stream().filter(outcome -> outcome.name().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidInputException("outcome: '" + name + "' is not "
                        + REPORTED.stream().map(Outcome::name).collect(Collectors.joining(", "))));
    }

    private static Subject subjectIn(JsonNode event, Outcome outcome) {
        if (outcome == Outcome.IGNORED) {
            if (objectIn(event, "ignored") == null) {
                throw new InvalidInputException("ignored: required for outcome IGNORED");
            }
            return new Ignored(JsonHandler.field(event, "ignored", Resolution.Ignored.class));
        }
        // resolve-env or the claim refused the input: there is no target, only the request (any JSON, even null).
        if (outcome == Outcome.FAILED && !event.hasNonNull("target") && event.has("request")) {
            return new Refused(event.get("request"));
        }
        if (event.hasNonNull("target") && !event.get("target").isObject()) {
            throw new InvalidInputException("target: not an object");
        }
        DeploymentTarget target = JsonHandler.field(event, "target", DeploymentTarget.class);
        String missing = target.deploymentId() == null ? "deploymentId" : target.service() == null ? "service"
                : target.environment() == null ? "environment" : target.image() == null ? "image"
                : target.image().digest() == null ? "image.digest" : null;
        if (missing != null) {
            throw new InvalidInputException("target." + missing + ": required");
        }
        return new Deployment(target);
    }

    private static Failure failureIn(JsonNode steps, String field) {
        JsonNode failure = steps.get(field);
        return failure == null ? null
                : new Failure(textIn(failure, "error", field + ".error"), textIn(failure, "cause", field + ".cause"));
    }

    /** An object the state passes, or {@code null} when it is absent or null (a step that did not run). */
    private static JsonNode objectIn(JsonNode event, String field) {
        JsonNode value = event.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new InvalidInputException(field + ": not an object");
        }
        return value;
    }

    private static String textIn(JsonNode node, String field, String name) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidInputException(name + ": not a string");
        }
        return value.asText();
    }

    private static Integer wholeNumberIn(JsonNode node, String field, String name) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new InvalidInputException(name + ": not a whole number");
        }
        return value.asInt();
    }

    private static Instant instantIn(JsonNode node, String field, String name) {
        String text = textIn(node, field, name);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(name + ": not an ISO-8601 instant");
        }
    }

    private static boolean releaseLockIn(JsonNode event) {
        JsonNode value = event.get("releaseLock");
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidInputException("releaseLock: not true or false");
        }
        return value.asBoolean();
    }
}
