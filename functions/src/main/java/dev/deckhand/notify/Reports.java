package dev.deckhand.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.json.DeckhandJson;
import java.time.Instant;
import java.util.List;

/** Builds a {@link DeploymentReport} from what the state machine passes to a "Report …" state. */
public final class Reports {

    private Reports() {
    }

    public static DeploymentReport of(JsonNode event, Instant now) {
        Outcome outcome = Outcome.valueOf(event.path("outcome").asText());
        JsonNode target = event.path("target");
        if (target.isMissingNode() || target.isNull()) {
            target = event.path("ignored");
        }
        String service = text(target, "service");
        String environment = text(target, "environment");
        String image = text(target.path("image"), "uri");
        String tag = target.path("image").has("tag") ? target.path("image").path("tag").asText() : text(target, "tag");
        String startedAt = text(event, "startedAt");
        return new DeploymentReport(outcome, summary(outcome, event, target), text(target, "deploymentId"),
                event.path("claim").has("attempt") ? event.path("claim").path("attempt").asInt() : null,
                service, environment, image, tag, text(target, "trigger"), text(target, "requestedBy"),
                text(event, "executionArn"), startedAt == null ? null : Instant.parse(startedAt), now,
                diagnostics(event));
    }

    private static String summary(Outcome outcome, JsonNode event, JsonNode target) {
        String where = target.has("service") ? target.path("service").asText() + "/" + target.path("environment").asText()
                : target.path("repository").asText("request");
        String what = target.path("image").has("tag") ? target.path("image").path("tag").asText()
                : target.path("image").path("digest").asText(target.path("tag").asText(""));
        String summary = switch (outcome) {
            case SUCCEEDED -> "Deployed " + what + " to " + where;
            case IGNORED -> "Ignored " + where + ": " + target.path("reason").asText();
            case DUPLICATE -> "Duplicate of " + target.path("deploymentId").asText() + ": "
                    + event.path("claim").path("reason").asText();
            case SUPERSEDED -> "Superseded: a newer image was requested for " + where + " while " + what + " waited";
            case AWAITING_APPROVAL -> "Approval needed: " + what + " (" + target.path("image").path("digest").asText()
                    + ") to " + where + ", asked by " + target.path("requestedBy").asText("an ECR push (no principal)")
                    + revisionChange(event.path("release")) + ". Answer: deckhand approve "
                    + target.path("deploymentId").asText() + " | deckhand reject " + target.path("deploymentId").asText()
                    + " --comment … (POST /deployments/" + target.path("deploymentId").asText() + "/approval)";
            case REJECTED -> "Rejected " + what + " for " + where + " by " + event.path("approval").path("by").asText()
                    + commentOf(event.path("approval")) + "; nothing changed";
            case EXPIRED -> "Expired: nobody approved " + what + " for " + where + " in time; nothing changed";
            // ECS shifted traffic back itself (its lifecycle hook, an alarm, the breaker): say who rolled back.
            case ROLLED_BACK -> "ECS".equals(event.path("rollback").path("by").asText())
                    ? "ECS rolled back " + where + " after " + what + " failed: " + causeOf(event.path("failure"))
                    : "Rolled back " + where + " after " + what + " failed: " + failureOf(event.path("failure"));
            case ROLLBACK_FAILED -> "ROLLBACK FAILED for " + where + " after " + what + " failed: "
                    + failureOf(event.path("failure")) + "; rollback: " + failureOf(event.path("rollbackFailure"))
                    + ". The service needs a person.";
            default -> "Failed to deploy " + what + " to " + where + ": " + failureOf(event.path("failure"))
                    + (event.path("rollbackFailure").isObject() ? "; " + causeOf(event.path("rollbackFailure")) : "");
        };
        // An override of a freeze is said wherever the outcome is, so whoever watches the channel sees it.
        return target.hasNonNull("breakGlass")
                ? summary + " (break-glass override of the freeze " + target.path("breakGlass").asText() + ")"
                : summary;
    }

    private static JsonNode diagnostics(JsonNode event) {
        ObjectNode diagnostics = DeckhandJson.MAPPER.createObjectNode();
        for (String field : List.of("failure", "rollbackFailure", "approval")) {
            JsonNode value = event.get(field);
            if (value != null && value.isObject()) {
                diagnostics.set(field, value);
            }
        }
        return diagnostics.isEmpty() ? null : diagnostics;
    }

    /** ", revision storefront-prod:7 → storefront-prod:8" from what "Prepare the release" decided. */
    private static String revisionChange(JsonNode release) {
        String to = release.path("taskDefinition").asText("");
        if (to.isEmpty()) {
            return "";
        }
        String from = release.path("previousTaskDefinition").asText("");
        return ", revision " + shortRevision(from.isEmpty() ? "(none)" : from) + " → " + shortRevision(to);
    }

    private static String shortRevision(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    private static String commentOf(JsonNode approval) {
        String comment = approval.path("comment").asText("");
        return comment.isEmpty() ? "" : ": \"" + comment + "\"";
    }

    /** "InvalidInputException: detail.image-tag: required" from the error and the runtime's cause. */
    private static String failureOf(JsonNode failure) {
        if (!failure.isObject()) {
            return "unknown error";
        }
        String error = failure.path("error").asText("error");
        return error.substring(error.lastIndexOf('.') + 1) + ": " + causeOf(failure);
    }

    /** The Java runtime's cause is {"errorMessage": …}; other causes are plain text. */
    private static String causeOf(JsonNode failure) {
        String cause = failure.path("cause").asText("");
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

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isMissingNode() ? null : value.asText();
    }
}
