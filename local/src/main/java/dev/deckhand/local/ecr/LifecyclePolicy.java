package dev.deckhand.local.ecr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An ECR lifecycle policy and its evaluation, after the ECR user guide ("Lifecycle policy
 * properties", "Examples of lifecycle policies", "How lifecycle policies work"):
 * <ul>
 *   <li>rules apply from the lowest {@code rulePriority} up; a rule of {@code tagStatus any} must
 *       have the highest priority;</li>
 *   <li>{@code untagged} selects images without tags; {@code tagged} selects images that have, for
 *       <em>every</em> entry of {@code tagPrefixList}, a tag starting with it (and for every entry of
 *       {@code tagPatternList}, a tag matching it, {@code *} matching any characters); {@code any}
 *       selects all;</li>
 *   <li>{@code imageCountMoreThan N} expires all but the N most recently pushed selected images;
 *       {@code sinceImagePushed N days} expires selected images pushed more than N days ago;</li>
 *   <li>an image is expired by one rule at most, and an image that matches the tagging requirements
 *       of a rule cannot be expired by a rule of lower priority.</li>
 * </ul>
 * The {@code expire} action only; {@code sinceImagePulled}, {@code sinceImageTransitioned},
 * {@code transition} and storage classes are refused as not supported locally.
 */
public final class LifecyclePolicy {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An image as a policy sees it. */
    public record Image(String digest, List<String> tags, Instant pushedAt) {
    }

    private record Rule(int priority, String tagStatus, List<String> prefixes, List<Pattern> patterns,
            String countType, int countNumber) {

        boolean selects(Image image) {
            return switch (tagStatus) {
                case "untagged" -> image.tags().isEmpty();
                case "any" -> true;
                default -> !image.tags().isEmpty()
                        && prefixes.stream().allMatch(p -> image.tags().stream().anyMatch(tag -> tag.startsWith(p)))
                        && patterns.stream().allMatch(p -> image.tags().stream().anyMatch(tag -> p.matcher(tag).matches()));
            };
        }
    }

    private final String text;
    private final List<Rule> rules;

    private LifecyclePolicy(String text, List<Rule> rules) {
        this.text = text;
        this.rules = rules;
    }

    /**
     * Parses and validates a policy.
     *
     * @throws IllegalArgumentException with the reason ECR's validation would give
     */
    public static LifecyclePolicy parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the policy is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.path("rules").isArray() || root.path("rules").isEmpty()) {
            throw new IllegalArgumentException("'rules' must be a non-empty list");
        }
        List<Rule> rules = new ArrayList<>();
        Set<Integer> priorities = new HashSet<>();
        for (JsonNode rule : root.path("rules")) {
            Rule parsed = rule(rule);
            if (!priorities.add(parsed.priority())) {
                throw new IllegalArgumentException("rulePriority " + parsed.priority() + " is used by more than one rule");
            }
            rules.add(parsed);
        }
        rules.sort(Comparator.comparingInt(Rule::priority));
        for (int i = 0; i < rules.size() - 1; i++) {
            if (rules.get(i).tagStatus().equals("any")) {
                throw new IllegalArgumentException("a rule with tagStatus 'any' must have the highest rulePriority");
            }
        }
        return new LifecyclePolicy(text, List.copyOf(rules));
    }

    private static Rule rule(JsonNode rule) {
        JsonNode priority = rule.path("rulePriority");
        if (!priority.isIntegralNumber() || priority.asInt() < 1) {
            throw new IllegalArgumentException("rulePriority must be a positive integer");
        }
        JsonNode selection = rule.path("selection");
        String tagStatus = selection.path("tagStatus").asText("");
        if (!List.of("tagged", "untagged", "any").contains(tagStatus)) {
            throw new IllegalArgumentException("tagStatus must be one of tagged, untagged, any");
        }
        List<String> prefixes = strings(selection.path("tagPrefixList"));
        List<String> patterns = strings(selection.path("tagPatternList"));
        if (tagStatus.equals("tagged") && prefixes.isEmpty() && patterns.isEmpty()) {
            throw new IllegalArgumentException("a 'tagged' rule needs a tagPrefixList or a tagPatternList");
        }
        if (!tagStatus.equals("tagged") && (!prefixes.isEmpty() || !patterns.isEmpty())) {
            throw new IllegalArgumentException("only a 'tagged' rule may have a tagPrefixList or a tagPatternList");
        }
        String countType = selection.path("countType").asText("");
        if (List.of("sinceImagePulled", "sinceImageTransitioned").contains(countType)
                || selection.has("storageClass") || !rule.path("action").path("type").asText("").equals("expire")) {
            if (rule.path("action").path("type").asText("").isEmpty()) {
                throw new IllegalArgumentException("action.type must be 'expire'");
            }
            throw new IllegalArgumentException("sinceImagePulled, sinceImageTransitioned, transitions and storage "
                    + "classes are not supported by the Deckhand local cloud (only 'expire' with imageCountMoreThan or "
                    + "sinceImagePushed)");
        }
        if (!List.of("imageCountMoreThan", "sinceImagePushed").contains(countType)) {
            throw new IllegalArgumentException("countType must be imageCountMoreThan or sinceImagePushed");
        }
        if (countType.equals("sinceImagePushed") && !selection.path("countUnit").asText("").equals("days")) {
            throw new IllegalArgumentException("sinceImagePushed needs countUnit 'days'");
        }
        if (countType.equals("imageCountMoreThan") && selection.has("countUnit")) {
            throw new IllegalArgumentException("imageCountMoreThan takes no countUnit");
        }
        JsonNode count = selection.path("countNumber");
        if (!count.isIntegralNumber() || count.asInt() < 1) {
            throw new IllegalArgumentException("countNumber must be a positive integer");
        }
        return new Rule(priority.asInt(), tagStatus, prefixes,
                patterns.stream().map(LifecyclePolicy::wildcard).toList(), countType, count.asInt());
    }

    private static List<String> strings(JsonNode list) {
        List<String> values = new ArrayList<>();
        list.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** A tagPatternList entry: {@code *} matches any characters, everything else itself. */
    private static Pattern wildcard(String pattern) {
        return Pattern.compile(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*")));
    }

    /** The policy exactly as it was given. */
    public String text() {
        return text;
    }

    /** The digests this policy expires among {@code images} at {@code now}. */
    public Set<String> expired(List<Image> images, Instant now) {
        Set<String> matchedEarlier = new HashSet<>();
        Set<String> expired = new LinkedHashSet<>();
        for (Rule rule : rules) {
            List<Image> selected = images.stream()
                    .filter(image -> !matchedEarlier.contains(image.digest()) && rule.selects(image))
                    .sorted(Comparator.comparing(Image::pushedAt).reversed()).toList();
            selected.forEach(image -> matchedEarlier.add(image.digest()));
            if (rule.countType().equals("imageCountMoreThan")) {
                selected.stream().skip(rule.countNumber()).forEach(image -> expired.add(image.digest()));
            } else {
                Instant cutoff = now.minus(Duration.ofDays(rule.countNumber()));
                selected.stream().filter(image -> image.pushedAt().isBefore(cutoff))
                        .forEach(image -> expired.add(image.digest()));
            }
        }
        return expired;
    }
}
