package dev.deckhand.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.deployment.ImageDigest;
import dev.deckhand.deployment.ImageRef;
import dev.deckhand.errors.InvalidInputException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns resolve-env's input into a {@link DeploymentRequest}, validating every field it uses.
 * Accepts the two shapes in {@code events/}: an EventBridge "ECR Image Action" event exactly as
 * ECR emits it (https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html), and
 * a promotion request {@code {"promotion": {...}}}. Anything else is an {@link InvalidInputException}
 * whose message names the field.
 */
public final class DeploymentRequestParser {

    private static final String ECR_DETAIL_TYPE = "ECR Image Action";
    private static final String ECR_SOURCE = "aws.ecr";
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    // OCI distribution spec: a tag is [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}.
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern REPOSITORY = ImageRef.REPOSITORY_NAME;
    private static final Pattern NAME = DeploymentId.NAME;
    private static final Set<String> PROMOTION_FIELDS = Set.of("service", "from", "to", "image", "tag", "requestedBy",
            "breakGlass");
    private static final Set<String> ROLLBACK_FIELDS = Set.of("service", "environment", "to", "requestedBy");
    private static final int MAX_REQUESTED_BY = 2048;
    /** The longest reason for a break-glass override: a sentence or a ticket link, not a document. */
    public static final int MAX_BREAK_GLASS = 500;
    private static final int MAX_QUOTED = 80;
    /**
     * The configuration media types of container images (Docker image manifest v2 schema 2, OCI
     * image spec "config"): ECR's push event names the pushed manifest's config type in
     * {@code detail.artifact-media-type}; any other type is an OCI artifact. A multi-platform
     * image index has no config of its own, and deploys.
     */
    private static final Pattern COSIGN_TAG = Pattern.compile("sha256-[0-9a-f]{64}\\.(sig|att|sbom)");
    private static final Map<String, String> COSIGN_KINDS =
            Map.of("sig", "a signature (cosign)", "att", "an attestation (cosign)", "sbom", "an SBOM (cosign)");
    static final Set<String> IMAGE_CONFIG_TYPES = Set.of(
            "application/vnd.docker.container.image.v1+json",
            "application/vnd.oci.image.config.v1+json");

    private DeploymentRequestParser() {
    }

    public static DeploymentRequest parse(JsonNode input) {
        if (input == null || !input.isObject()) {
            throw new InvalidInputException("input must be a JSON object: an ECR 'ECR Image Action' event "
                    + "or a promotion request {\"promotion\": {...}}");
        }
        if (input.has("promotion")) {
            return parsePromotion(input.get("promotion"));
        }
        if (input.has("rollback")) {
            return parseRollback(input.get("rollback"));
        }
        String detailType = input.path("detail-type").asText(null);
        String source = input.path("source").asText(null);
        if (!ECR_DETAIL_TYPE.equals(detailType) || !ECR_SOURCE.equals(source)) {
            throw new InvalidInputException("input is neither an ECR image event (source 'aws.ecr', detail-type '"
                    + ECR_DETAIL_TYPE + "') nor a promotion request {\"promotion\": {...}}; found source "
                    + quote(source) + " and detail-type " + quote(detailType));
        }
        return parseImageAction(input);
    }

    private static DeploymentRequest parseImageAction(JsonNode event) {
        JsonNode detail = event.get("detail");
        if (detail == null || !detail.isObject()) {
            throw new InvalidInputException("detail: required, a JSON object");
        }
        String actionType = text(detail, "detail.", "action-type");
        String result = text(detail, "detail.", "result");
        if (!"PUSH".equals(actionType) || !"SUCCESS".equals(result)) {
            // Ignored, but said back to people: shown safely, and the repository only if it is one.
            JsonNode repository = detail.get("repository-name");
            return new DeploymentRequest.OtherImageAction(quoteName(actionType), quoteName(result),
                    repository != null && repository.isTextual() && REPOSITORY.matcher(repository.asText()).matches()
                            ? repository.asText() : null);
        }
        String account = matching(event, "", "account", ACCOUNT, "an AWS account id (12 digits)");
        String region = matching(event, "", "region", REGION, "an AWS region such as eu-west-1");
        String repository = matching(detail, "detail.", "repository-name", REPOSITORY, "an ECR repository name");
        String digest = text(detail, "detail.", "image-digest");
        if (!ImageDigest.isValid(digest)) {
            throw new InvalidInputException("detail.image-digest: " + quote(digest)
                    + " is not an image digest (sha256: and 64 hex digits)");
        }
        String tag = optionalTag(detail, "detail.", "image-tag");
        Matcher cosign = tag == null ? null : COSIGN_TAG.matcher(tag);
        if (cosign != null && cosign.matches()) {
            // cosign stores what it attaches to an image under tags sha256-<digest>.sig|.att|.sbom.
            return new DeploymentRequest.ArtifactPushed(repository, tag, quoteName(detail.path("artifact-media-type")
                    .asText("unknown")), COSIGN_KINDS.get(cosign.group(1)));
        }
        JsonNode artifactType = detail.get("artifact-media-type");
        if (artifactType != null && artifactType.isTextual() && !artifactType.asText().isEmpty()
                && !IMAGE_CONFIG_TYPES.contains(artifactType.asText())) {
            return new DeploymentRequest.ArtifactPushed(repository, tag, quoteName(artifactType.asText()),
                    artifactKind(artifactType.asText()));
        }
        return new DeploymentRequest.ImagePushed(account, region, repository, new ImageDigest(digest), tag,
                eventTime(event));
    }

    /** EventBridge stamps every event; an input typed into the console may leave it out. */
    private static Instant eventTime(JsonNode event) {
        JsonNode time = event.get("time");
        if (time == null || time.isNull()) {
            return null;
        }
        try {
            return Instant.parse(time.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("time: " + quote(time.asText())
                    + " is not an ISO-8601 time such as 2026-11-20T09:14:02Z");
        }
    }

    /** What an artifact is, from its media type, for people; "an OCI artifact" when not one we name. */
    static String artifactKind(String mediaType) {
        String type = mediaType.toLowerCase(Locale.ROOT);
        if (type.contains("helm")) {
            return "a Helm chart";
        }
        if (type.contains("signature") || type.contains("cosign") || type.contains(".sig")) {
            return "a signature";
        }
        if (type.contains("spdx") || type.contains("cyclonedx") || type.contains("sbom")) {
            return "an SBOM";
        }
        if (type.contains("in-toto") || type.contains("attestation") || type.contains("provenance")) {
            return "an attestation";
        }
        return "an OCI artifact";
    }

    private static DeploymentRequest parseRollback(JsonNode rollback) {
        if (rollback == null || !rollback.isObject()) {
            throw new InvalidInputException("rollback: must be a JSON object with service, environment and to");
        }
        for (Iterator<String> names = rollback.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!ROLLBACK_FIELDS.contains(name)) {
                throw new InvalidInputException("rollback." + quoteName(name) + ": unknown field; a rollback has "
                        + "service, environment, to and requestedBy");
            }
        }
        String service = matching(rollback, "rollback.", "service", NAME, "a service name");
        String environment = matching(rollback, "rollback.", "environment", NAME, "an environment name");
        String to = null;
        if (rollback.hasNonNull("to")) {
            to = text(rollback, "rollback.", "to");
            if (!DeploymentId.isValid(to) && !ImageDigest.isValid(to)) {
                throw new InvalidInputException("rollback.to: " + quote(to) + " is neither a deployment id "
                        + "(<service>.<environment>.<16 hex digits>) nor a digest (sha256:<64 hex digits>)");
            }
        }
        String requestedBy = null;
        if (rollback.hasNonNull("requestedBy")) {
            requestedBy = text(rollback, "rollback.", "requestedBy");
            if (requestedBy.length() > MAX_REQUESTED_BY || requestedBy.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidInputException("rollback.requestedBy: must be at most " + MAX_REQUESTED_BY
                        + " printable characters");
            }
        }
        return new DeploymentRequest.RollbackRequested(service, environment, to, requestedBy);
    }

    private static DeploymentRequest parsePromotion(JsonNode promotion) {
        if (promotion == null || !promotion.isObject()) {
            throw new InvalidInputException("promotion: must be a JSON object with service, from, to and image");
        }
        for (Iterator<String> names = promotion.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!PROMOTION_FIELDS.contains(name)) {
                throw new InvalidInputException("promotion." + quoteName(name) + ": unknown field; a promotion has "
                        + "service, from, to, image, tag, requestedBy and breakGlass");
            }
        }
        String service = matching(promotion, "promotion.", "service", NAME, "a service name");
        String from = matching(promotion, "promotion.", "from", NAME, "an environment name");
        String to = matching(promotion, "promotion.", "to", NAME, "an environment name");
        String tag = optionalTag(promotion, "promotion.", "tag");
        String uri = text(promotion, "promotion.", "image");
        ImageRef image = ImageRef.parsePinned(uri, tag).orElseThrow(() -> new InvalidInputException(
                "promotion.image: " + quote(uri) + " is not an ECR image pinned by digest "
                        + "(<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<64 hex digits>)"));
        if (!REPOSITORY.matcher(image.repository()).matches()) {
            throw new InvalidInputException("promotion.image: " + quote(image.repository())
                    + " is not an ECR repository name");
        }
        String requestedBy = null;
        if (promotion.hasNonNull("requestedBy")) {
            requestedBy = text(promotion, "promotion.", "requestedBy");
            if (requestedBy.length() > MAX_REQUESTED_BY || requestedBy.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidInputException("promotion.requestedBy: must be at most " + MAX_REQUESTED_BY
                        + " printable characters");
            }
        }
        if (from.equals(to)) {
            throw new InvalidInputException("promotion: 'from' and 'to' are both " + quote(from));
        }
        String breakGlass = null;
        if (promotion.hasNonNull("breakGlass")) {
            breakGlass = text(promotion, "promotion.", "breakGlass");
            if (breakGlass.isBlank() || breakGlass.length() > MAX_BREAK_GLASS
                    || breakGlass.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidInputException("promotion.breakGlass: the reason, 1 to " + MAX_BREAK_GLASS
                        + " printable characters");
            }
        }
        return new DeploymentRequest.PromotionRequested(service, from, to, image, requestedBy, breakGlass);
    }

    private static String text(JsonNode parent, String prefix, String field) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidInputException(prefix + field + ": required");
        }
        if (!value.isTextual()) {
            throw new InvalidInputException(prefix + field + ": must be a string, found " + value.getNodeType()
                    .name().toLowerCase());
        }
        return value.asText();
    }

    private static String matching(JsonNode parent, String prefix, String field, Pattern format, String description) {
        String value = text(parent, prefix, field);
        if (!format.matcher(value).matches()) {
            throw new InvalidInputException(prefix + field + ": " + quote(value) + " is not " + description);
        }
        return value;
    }

    private static String optionalTag(JsonNode parent, String prefix, String field) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
            return null;
        }
        String tag = text(parent, prefix, field);
        if (tag.length() > 128) {
            throw new InvalidInputException(prefix + field + ": " + tag.length()
                    + " characters long; an image tag has at most 128");
        }
        if (!TAG.matcher(tag).matches()) {
            throw new InvalidInputException(prefix + field + ": " + quote(tag)
                    + " is not an image tag (letters, digits, '_', '.', '-'; not starting with '.' or '-')");
        }
        return tag;
    }

    /**
     * Quotes a value of the input for a message: control characters shown as '?', cut short, so a
     * hostile input can neither flood nor break the line of the message and the logs.
     */
    public static String quote(String value) {
        if (value == null) {
            return "nothing";
        }
        String printable = value.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return printable.length() <= MAX_QUOTED
                ? "'" + printable + "'"
                : "'" + printable.substring(0, MAX_QUOTED) + "…' (" + value.length() + " characters)";
    }

    /** A field name of the input for a message, made safe like {@link #quote} but without the quotes. */
    public static String quoteName(String name) {
        String quoted = quote(name);
        return quoted.substring(1, quoted.length() - 1);
    }
}
