package dev.deckhand.promote;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.approve.ApprovalService;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.deployment.ImageDigest;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.freeze.AdHocFreeze;
import dev.deckhand.freeze.AdHocFreezeService;
import dev.deckhand.freeze.AdHocFreezes;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.ClaimRecord;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.metrics.DoraFigures;
import dev.deckhand.metrics.MetricsService;
import dev.deckhand.resolve.DeploymentRequestParser;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The routes of the promote and status API, over plain values; the handler only adapts HTTP. */
public final class DeploymentApi {

    static final int DEFAULT_PAGE = 20;
    static final int MAX_PAGE = 100;
    /** The fields of a promotion request; the API Gateway model in the CDK app lists the same. */
    public static final Set<String> PROMOTION_FIELDS = Set.of("service", "from", "to", "digest", "breakGlass");
    /**
     * The fields of a promotion to the environment its path names, a resource IAM policies can
     * allow per target ({@code POST/services/<service>/environments/<env>/promotions}).
     */
    public static final Set<String> TARGETED_PROMOTION_FIELDS = Set.of("from", "digest", "breakGlass");
    /**
     * The fields of a rollback of the environment its path names
     * ({@code POST/services/<service>/environments/<env>/rollbacks}, authorized per environment like a promotion).
     */
    public static final Set<String> ROLLBACK_FIELDS = Set.of("to");
    /** The fields of an answer to a deployment waiting for approval ({@code POST /deployments/{id}/approval}). */
    public static final Set<String> APPROVAL_FIELDS = Set.of("decision", "comment");
    /**
     * The fields of an ad-hoc freeze of the environment its path names
     * ({@code PUT /services/{service}/environments/{env}/freeze}; the service may be {@code all}).
     */
    public static final Set<String> FREEZE_FIELDS = Set.of("reason", "until");

    private final PromotionService promotions;
    private final DeploymentHistory history;
    private final MetricsService metrics;
    private final ApprovalService approvals;
    private final AdHocFreezeService freezes;

    public DeploymentApi(PromotionService promotions, DeploymentHistory history, ApprovalService approvals) {
        this(promotions, history, Clock.systemUTC(), approvals);
    }

    /** With the clock that ends the metrics' period (tests). */
    public DeploymentApi(PromotionService promotions, DeploymentHistory history, Clock clock,
            ApprovalService approvals) {
        this(promotions, history, clock, approvals, AdHocFreezes.NONE);
    }

    /** With the ad-hoc freezes it declares, ends and shows. */
    public DeploymentApi(PromotionService promotions, DeploymentHistory history, Clock clock,
            ApprovalService approvals, AdHocFreezes freezes) {
        this.promotions = promotions;
        this.history = history;
        this.metrics = new MetricsService(history, clock);
        this.approvals = approvals;
        this.freezes = new AdHocFreezeService(freezes, clock);
    }

    /** A status and a JSON body. */
    public record Answer(int status, Object body) {
    }

    public Answer answer(APIGatewayProxyRequestEvent event) {
        String route = event.getHttpMethod() + " " + event.getResource();
        Map<String, String> path = event.getPathParameters() == null ? Map.of() : event.getPathParameters();
        switch (route) {
            case "POST /promotions":
                return promote(event, promoteRequest(event.getBody()));
            case "POST /services/{service}/environments/{env}/promotions":
                return promote(event, targetedPromoteRequest(path.get("service"), path.get("env"), event.getBody()));
            case "POST /services/{service}/environments/{env}/rollbacks":
                return rollback(event, path.get("service"), path.get("env"), event.getBody());
            case "POST /deployments/{id}/approval":
                return approval(event, path.get("id"), event.getBody());
            case "PUT /services/{service}/environments/{env}/freeze":
                return freeze(event, path.get("service"), path.get("env"), event.getBody());
            case "DELETE /services/{service}/environments/{env}/freeze":
                return unfreeze(event, path.get("service"), path.get("env"));
            case "GET /deployments/{id}":
                return deployment(path.get("id"));
            case "GET /services/{service}/environments/{env}/deployments":
                Map<String, String> query = event.getQueryStringParameters() == null ? Map.of()
                        : event.getQueryStringParameters();
                return list(path.get("service"), path.get("env"), query.get("limit"), query.get("nextToken"));
            case "GET /metrics":
                return metrics(event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters());
            default:
                return new Answer(404, Map.of("message", "no route " + route));
        }
    }

    private Answer rollback(APIGatewayProxyRequestEvent event, String service, String environment, String body) {
        String principal = principal(event);
        if (principal == null) {
            return new Answer(403, Map.of("message", "the request carries no IAM identity; sign it with SigV4"));
        }
        if (!DeploymentId.NAME.matcher(service == null ? "" : service).matches()
                || !DeploymentId.NAME.matcher(environment == null ? "" : environment).matches()) {
            throw new InvalidInputException("the path must name a service and an environment");
        }
        JsonNode json = promotionBody(body == null || body.isBlank() ? "{}" : body, ROLLBACK_FIELDS,
                "a rollback of the environment in the path has only 'to'", "{to?}");
        String to = null;
        if (json.hasNonNull("to")) {
            if (!json.get("to").isTextual()) {
                throw new InvalidInputException("to: must be a deployment id or a digest");
            }
            to = json.get("to").asText();
            if (!DeploymentId.isValid(to) && !ImageDigest.isValid(to)) {
                throw new InvalidInputException("to: " + DeploymentRequestParser.quote(to) + " is neither a deployment "
                        + "id (<service>.<environment>.<16 hex digits>) nor a digest (sha256:<64 hex digits>)");
            }
        }
        Promotion rollback = promotions.rollback(service, environment, to, principal);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("deploymentId", rollback.deploymentId());
        answer.put("executionArn", rollback.executionArn());
        answer.put("image", rollback.image());
        answer.put("statusUrl", "/deployments/" + rollback.deploymentId());
        return new Answer(202, answer);
    }

    /** An ad-hoc freeze: {@code {"reason", "until"?}}; checked whole before it is written. */
    private Answer freeze(APIGatewayProxyRequestEvent event, String service, String environment, String body) {
        String principal = principal(event);
        if (principal == null) {
            return new Answer(403, Map.of("message", "the request carries no IAM identity; sign it with SigV4"));
        }
        requireNames(service, environment);
        JsonNode json = promotionBody(body, FREEZE_FIELDS, "a freeze has reason and until", "{reason, until?}");
        String reason = text(json, "reason");
        String until = json.hasNonNull("until") ? text(json, "until") : null;
        promotions.requireFreezable(service, environment);
        return new Answer(201, freezeView(freezes.freeze(service, environment, reason, until, principal)));
    }

    private Answer unfreeze(APIGatewayProxyRequestEvent event, String service, String environment) {
        if (principal(event) == null) {
            return new Answer(403, Map.of("message", "the request carries no IAM identity; sign it with SigV4"));
        }
        requireNames(service, environment);
        promotions.requireFreezable(service, environment);
        if (!freezes.unfreeze(service, environment)) {
            return new Answer(404, Map.of("message", service + "/" + environment + " has no ad-hoc freeze"));
        }
        return new Answer(200, Map.of("unfrozen", service + "/" + environment));
    }

    private static void requireNames(String service, String environment) {
        if (!DeploymentId.NAME.matcher(service == null ? "" : service).matches()
                || !DeploymentId.NAME.matcher(environment == null ? "" : environment).matches()) {
            throw new InvalidInputException("the path must name a service (or all) and an environment");
        }
    }

    private static Map<String, Object> freezeView(AdHocFreeze freeze) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("service", freeze.service());
        view.put("environment", freeze.environment());
        view.put("reason", freeze.reason());
        view.put("by", freeze.by());
        view.put("since", freeze.since().toString());
        if (freeze.until() != null) {
            view.put("until", freeze.until().toString());
        }
        return view;
    }

    /** A person's answer to a deployment waiting for approval: {@code {"decision": "approve"|"reject", "comment"}}. */
    private Answer approval(APIGatewayProxyRequestEvent event, String id, String body) {
        String principal = principal(event);
        if (principal == null) {
            return new Answer(403, Map.of("message", "the request carries no IAM identity; sign it with SigV4"));
        }
        if (approvals == null) {
            return new Answer(404, Map.of("message", "this API does not answer approvals"));
        }
        if (id == null || !DeploymentId.isValid(id)) {
            throw new InvalidInputException("id: not a deployment id (<service>.<environment>.<16 hex digits>)");
        }
        JsonNode json = promotionBody(body, APPROVAL_FIELDS, "an answer has decision and comment",
                "{decision: approve|reject, comment?}");
        String decisionText = text(json, "decision");
        ApprovalService.Decision decision = switch (decisionText) {
            case "approve" -> ApprovalService.Decision.APPROVED;
            case "reject" -> ApprovalService.Decision.REJECTED;
            default -> throw new InvalidInputException("body.decision: " + DeploymentRequestParser.quote(decisionText)
                    + " is neither 'approve' nor 'reject'");
        };
        String comment = json.hasNonNull("comment") ? text(json, "comment").strip() : null;
        if (comment != null && (comment.length() > ApprovalService.MAX_COMMENT
                || comment.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n'))) {
            throw new InvalidInputException("body.comment: at most " + ApprovalService.MAX_COMMENT
                    + " characters, no control characters");
        }
        if (comment != null && comment.isEmpty()) {
            comment = null;
        }
        if (decision == ApprovalService.Decision.REJECTED && comment == null) {
            throw new InvalidInputException("body.comment: required when rejecting; say why for the history");
        }
        ApprovalService.Answered answered = approvals.answer(DeploymentId.parse(id), decision, comment, principal);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("deploymentId", answered.deploymentId());
        answer.put("decision", answered.decision());
        answer.put("by", answered.by());
        if (answered.comment() != null) {
            answer.put("comment", answered.comment());
        }
        answer.put("statusUrl", "/deployments/" + answered.deploymentId());
        return new Answer(202, answer);
    }

    private static String principal(APIGatewayProxyRequestEvent event) {
        String principal = event.getRequestContext() == null || event.getRequestContext().getIdentity() == null
                ? null : event.getRequestContext().getIdentity().getUserArn();
        return principal == null || principal.isBlank() ? null : principal;
    }

    private Answer promote(APIGatewayProxyRequestEvent event, PromoteRequest request) {
        String principal = principal(event);
        if (principal == null) {
            return new Answer(403, Map.of("message", "the request carries no IAM identity; sign it with SigV4"));
        }
        Promotion promotion = promotions.promote(request, principal);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deploymentId", promotion.deploymentId());
        body.put("executionArn", promotion.executionArn());
        body.put("image", promotion.image());
        body.put("statusUrl", "/deployments/" + promotion.deploymentId());
        return new Answer(202, body);
    }

    /** The body, validated field by field (API Gateway validates the schema too; this is the second fence). */
    static PromoteRequest promoteRequest(String body) {
        JsonNode json = promotionBody(body, PROMOTION_FIELDS, "a promotion has service, from, to and digest",
                "{service, from, to, digest?}");
        return new PromoteRequest(name(json, "service"), name(json, "from"), name(json, "to"),
                json.hasNonNull("digest") ? text(json, "digest") : null, breakGlass(json));
    }

    /** A promotion whose service and target environment are in the path. */
    static PromoteRequest targetedPromoteRequest(String service, String environment, String body) {
        if (service == null || !DeploymentId.NAME.matcher(service).matches()
                || environment == null || !DeploymentId.NAME.matcher(environment).matches()) {
            throw new InvalidInputException("path: service and environment are names of the configuration");
        }
        JsonNode json = promotionBody(body, TARGETED_PROMOTION_FIELDS,
                "a promotion to the environment in the path has from and digest", "{from, digest?}");
        return new PromoteRequest(service, name(json, "from"), environment,
                json.hasNonNull("digest") ? text(json, "digest") : null, breakGlass(json));
    }

    /** The reason of a break-glass override: printable, bounded, recorded as given. */
    private static String breakGlass(JsonNode json) {
        if (!json.hasNonNull("breakGlass")) {
            return null;
        }
        String reason = text(json, "breakGlass");
        if (reason.isBlank() || reason.length() > DeploymentRequestParser.MAX_BREAK_GLASS || reason.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("breakGlass: the reason for overriding the freeze, 1 to " + DeploymentRequestParser.MAX_BREAK_GLASS
                    + " printable characters");
        }
        return reason;
    }

    private static JsonNode promotionBody(String body, Set<String> fields, String fieldsSentence, String shape) {
        JsonNode json;
        try {
            json = body == null ? null : DeckhandJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("body: not valid JSON: " + DeckhandJson.problem(e));
        }
        if (json == null || !json.isObject()) {
            throw new InvalidInputException("body: a JSON object " + shape + " is required");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new InvalidInputException("body." + DeploymentRequestParser.quoteName(name) + ": unknown field; "
                        + fieldsSentence);
            }
        }
        return json;
    }

    private Answer deployment(String id) {
        if (id == null || !DeploymentId.isValid(id)) {
            throw new InvalidInputException("id: not a deployment id (<service>.<environment>.<16 hex digits>)");
        }
        DeploymentId deploymentId = DeploymentId.parse(id);
        String[] parts = id.split("\\.");
        promotions.requireTarget(parts[0], parts[1]);
        ClaimRecord latest = history.latestAttempt(deploymentId.value()).orElseThrow(() ->
                new PromotionRefused(404, "no deployment " + id));
        List<Object> attempts = new ArrayList<>();
        for (int attempt = latest.attempt(); attempt >= 1; attempt--) {
            history.attempt(id, attempt).ifPresent(record -> attempts.add(view(record)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deploymentId", id);
        body.put("outcome", latest.outcome().name());
        // An ad-hoc freeze in force over its environment: why a push there waits or is refused now.
        freezes.inForce(parts[0], parts[1]).ifPresent(freeze -> body.put("freeze", freezeView(freeze)));
        body.put("attempts", attempts);
        return new Answer(200, body);
    }

    private Answer list(String service, String environment, String limitText, String nextToken) {
        if (service == null || !DeploymentId.NAME.matcher(service).matches()
                || environment == null || !DeploymentId.NAME.matcher(environment).matches()) {
            throw new InvalidInputException("path: service and environment are names of the configuration");
        }
        int limit = DEFAULT_PAGE;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_PAGE) {
                throw new InvalidInputException("limit: a whole number from 1 to " + MAX_PAGE);
            }
        }
        promotions.requireTarget(service, environment);
        DeploymentHistory.Page page = history.page(service, environment, limit, nextToken);
        Map<String, Object> body = new LinkedHashMap<>();
        // An ad-hoc freeze in force over the environment (its own or all's), for `deckhand history`.
        freezes.inForce(service, environment).ifPresent(freeze -> body.put("freeze", freezeView(freeze)));
        body.put("deployments", page.attempts().stream().map(DeploymentApi::view).toList());
        if (page.nextToken() != null) {
            body.put("nextToken", page.nextToken());
        }
        return new Answer(200, body);
    }

    /** GET /metrics?service=&environment=&since=30d: the DORA figures of each chosen environment. */
    private Answer metrics(Map<String, String> query) {
        String service = query.get("service");
        String environment = query.get("environment");
        if (environment != null && service == null) {
            throw new InvalidInputException("environment: name the service too");
        }
        for (String name : java.util.Arrays.asList(service, environment)) {
            if (name != null && !DeploymentId.NAME.matcher(name).matches()) {
                throw new InvalidInputException("service and environment are names of the configuration");
            }
        }
        Duration since = MetricsService.period(query.getOrDefault("since", "30d"));
        List<DoraFigures> figures = metrics.figures(promotions.requireTargets(service, environment), service,
                environment, since);
        return new Answer(200, Map.of("metrics", figures.stream().map(DeploymentApi::view).toList()));
    }

    /** Durations in whole seconds, rates as fractions; null where there is nothing to measure. */
    private static Map<String, Object> view(DoraFigures figures) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("service", figures.service());
        view.put("environment", figures.environment());
        view.put("from", figures.from().toString());
        view.put("to", figures.to().toString());
        view.put("deployments", figures.deployments());
        view.put("deploymentsPerDay", figures.deploymentsPerDay());
        view.put("leadTimeSeconds", figures.medianLeadTime() == null ? null : figures.medianLeadTime().toSeconds());
        view.put("leadTimeSamples", figures.leadTimeSamples());
        view.put("changes", figures.changes());
        view.put("failedChanges", figures.failedChanges());
        view.put("changeFailureRate", figures.changeFailureRate());
        view.put("timeToRestoreSeconds", figures.medianTimeToRestore() == null ? null
                : figures.medianTimeToRestore().toSeconds());
        view.put("restored", figures.restored());
        view.put("unrestored", figures.unrestored());
        return view;
    }

    private static ObjectNode view(AttemptRecord record) {
        ObjectNode node = DeckhandJson.MAPPER.valueToTree(record);
        if (record.details() != null && record.details().has("timings")) {
            node.set("timings", record.details().get("timings"));
        }
        // ECS's own view of the change (and of the rollback), for an operator to open in the console.
        for (String[] field : new String[][] {{"rollout", "serviceDeploymentArn"}, {"rollback", "rollbackServiceDeploymentArn"}}) {
            JsonNode arn = record.details() == null ? null : record.details().path(field[0]).get("serviceDeploymentArn");
            if (arn != null && arn.isTextual()) {
                node.put(field[1], arn.asText());
            }
        }
        node.remove("details");
        return node;
    }

    private static String name(JsonNode json, String field) {
        String value = text(json, field);
        if (!DeploymentId.NAME.matcher(value).matches()) {
            throw new InvalidInputException("body." + field + ": " + DeploymentRequestParser.quote(value)
                    + " is not a service or environment name");
        }
        return value;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidInputException("body." + field + ": required");
        }
        if (!value.isTextual()) {
            throw new InvalidInputException("body." + field + ": must be a string");
        }
        return value.asText();
    }
}
