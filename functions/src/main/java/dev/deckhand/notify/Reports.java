package dev.deckhand.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.notify.OutcomeInput.Deployment;
import dev.deckhand.notify.OutcomeInput.Failure;
import dev.deckhand.notify.OutcomeInput.Ignored;
import dev.deckhand.notify.OutcomeInput.Refused;
import dev.deckhand.notify.OutcomeInput.Release;
import java.time.Instant;
import java.util.List;

/** Builds a {@link DeploymentReport} from what the state machine passes to a "Report …" state. */
public final class Reports {

    private Reports() {
    }

    public static DeploymentReport of(OutcomeInput input, Instant now) {
        DeploymentTarget target = input.target();
        String tag = target != null ? target.image().tag()
                : input.subject() instanceof Ignored ignored ? ignored.resolution().tag() : null;
        return new DeploymentReport(input.outcome(), summary(input), target == null ? null : target.deploymentId().value(),
                input.claim() == null ? null : input.claim().attempt(),
                target == null ? null : target.service(), target == null ? null : target.environment(),
                target == null ? null : target.image().uri(), tag,
                target == null || target.trigger() == null ? null : target.trigger().label(),
                target == null ? null : target.requestedBy(), input.executionArn(), input.startedAt(), now,
                diagnostics(input.steps()));
    }

    private static String summary(OutcomeInput input) {
        DeploymentTarget target = input.target();
        String where;
        String what;
        if (target != null) {
            where = target.service() + "/" + target.environment();
            what = target.image().tag() != null ? target.image().tag() : target.image().digest().value();
        } else if (input.subject() instanceof Ignored ignored) {
            where = ignored.resolution().repository() == null ? "request" : ignored.resolution().repository();
            what = ignored.resolution().tag() == null ? "" : ignored.resolution().tag();
        } else {
            where = "request";
            what = "";
        }
        String summary = switch (input.outcome()) {
            case SUCCEEDED -> "Deployed " + what + " to " + where;
            case IGNORED -> "Ignored " + where + ": " + orEmpty(((Ignored) input.subject()).resolution().reason());
            case DUPLICATE -> "Duplicate of " + target.deploymentId() + ": "
                    + (input.claim() == null ? "" : orEmpty(input.claim().reason()));
            case SUPERSEDED -> "Superseded: a newer image was requested for " + where + " while " + what + " waited";
            case AWAITING_APPROVAL -> "Approval needed: " + what + " (" + target.image().digest().value() + ") to " + where
                    + ", asked by " + (target.requestedBy() == null ? "an ECR push (no principal)" : target.requestedBy())
                    + revisionChange(input.release()) + ". Answer: deckhand approve " + target.deploymentId()
                    + " | deckhand reject " + target.deploymentId() + " --comment … (POST /deployments/"
                    + target.deploymentId() + "/approval)";
            case REJECTED -> "Rejected " + what + " for " + where + " by "
                    + (input.approval() == null ? "" : orEmpty(input.approval().by())) + commentOf(input.approval())
                    + "; nothing changed";
            case EXPIRED -> "Expired: nobody approved " + what + " for " + where + " in time; nothing changed";
            // ECS shifted traffic back itself (its lifecycle hook, an alarm, the breaker): say who rolled back.
            case ROLLED_BACK -> "ECS".equals(input.rolledBackBy())
                    ? "ECS rolled back " + where + " after " + what + " failed: " + causeOf(input.failure())
                    : "Rolled back " + where + " after " + what + " failed: " + failureOf(input.failure());
            case ROLLBACK_FAILED -> "ROLLBACK FAILED for " + where + " after " + what + " failed: "
                    + failureOf(input.failure()) + "; rollback: " + failureOf(input.rollbackFailure())
                    + ". The service needs a person.";
            // Refused before it had a target: nothing was deployed anywhere, so say what was refused.
            default -> input.subject() instanceof Refused
                    ? "Refused the request: " + failureOf(input.failure())
                    : "Failed to deploy " + what + " to " + where + ": " + failureOf(input.failure())
                            + (input.rollbackFailure() != null ? "; " + causeOf(input.rollbackFailure()) : "");
        };
        // An override of a freeze is said wherever the outcome is, so whoever watches the channel sees it.
        return target != null && target.breakGlass() != null
                ? summary + " (break-glass override of the freeze " + target.breakGlass() + ")"
                : summary;
    }

    /** What an operator needs first: the failure, the rollback's failure and the approval, as the steps reported them. */
    private static JsonNode diagnostics(ObjectNode steps) {
        ObjectNode diagnostics = DeckhandJson.MAPPER.createObjectNode();
        for (String field : List.of("failure", "rollbackFailure", "approval")) {
            if (steps.has(field)) {
                diagnostics.set(field, steps.get(field));
            }
        }
        return diagnostics.isEmpty() ? null : diagnostics;
    }

    /** ", revision storefront-prod:7 → storefront-prod:8" from what "Prepare the release" decided. */
    private static String revisionChange(Release release) {
        String to = release == null ? "" : orEmpty(release.taskDefinition());
        if (to.isEmpty()) {
            return "";
        }
        String from = orEmpty(release.previousTaskDefinition());
        return ", revision " + shortRevision(from.isEmpty() ? "(none)" : from) + " → " + shortRevision(to);
    }

    private static String shortRevision(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    private static String commentOf(OutcomeInput.Approval approval) {
        String comment = approval == null ? "" : orEmpty(approval.comment());
        return comment.isEmpty() ? "" : ": \"" + comment + "\"";
    }

    /** "InvalidInputException: detail.image-tag: required" from the error and the runtime's cause. */
    private static String failureOf(Failure failure) {
        if (failure == null) {
            return "unknown error";
        }
        String error = failure.error() == null ? "error" : failure.error();
        return error.substring(error.lastIndexOf('.') + 1) + ": " + causeOf(failure);
    }

    /** The Java runtime's cause is {"errorMessage": …}; other causes are plain text. */
    private static String causeOf(Failure failure) {
        String cause = failure == null ? "" : orEmpty(failure.cause());
        try {
            JsonNode parsed = DeckhandJson.MAPPER.readTree(cause);
            if (parsed != null && parsed.has("errorMessage")) {
                return parsed.path("errorMessage").asText();
            }
        } catch (java.io.IOException e) {
            // not JSON: the cause is already a sentence
        }
        return cause;
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
