package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.aws.AwsErrorException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Task definition families and their revisions: RegisterTaskDefinition, DescribeTaskDefinition and
 * DeregisterTaskDefinition, and the lookups CreateService, UpdateService and RunTask make.
 */
final class TaskDefinitionRegistry {

    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html:
    // "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."
    private static final Pattern FAMILY = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    private final String arnPrefix;
    private final Map<String, List<TaskDefinition>> families = new HashMap<>();

    TaskDefinitionRegistry(String region, String accountId) {
        this.arnPrefix = "arn:aws:ecs:" + region + ":" + accountId + ":task-definition/";
    }

    /**
     * Registers the next revision of the request's family. Invalid input is a ClientException, as
     * the API reference lists for RegisterTaskDefinition.
     */
    TaskDefinition register(JsonNode request, Instant now) {
        String family = request.path("family").asText("");
        if (!FAMILY.matcher(family).matches()) {
            throw clientException("Family '" + family + "' is not valid: use 1 to 255 letters, numbers, "
                    + "underscores and hyphens.");
        }
        JsonNode definitions = request.path("containerDefinitions");
        if (!definitions.isArray() || definitions.isEmpty()) {
            throw clientException("Container list cannot be empty.");
        }
        List<TaskDefinition.Container> containers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        ObjectNode json = ((ObjectNode) request).deepCopy();
        json.remove("tags");
        for (JsonNode definition : (ArrayNode) json.get("containerDefinitions")) {
            String name = definition.path("name").asText("");
            String image = definition.path("image").asText("");
            if (name.isEmpty()) {
                throw clientException("Container.name should not be null or empty.");
            }
            if (image.isEmpty()) {
                throw clientException("Container.image should not be null or empty.");
            }
            if (!names.add(name)) {
                throw clientException("Container names must be unique within a task definition: '" + name
                        + "' appears twice.");
            }
            // ContainerDefinition.essential: "If this parameter is omitted, a container is assumed to be essential."
            boolean essential = definition.path("essential").asBoolean(true);
            ((ObjectNode) definition).put("essential", essential);
            containers.add(new TaskDefinition.Container(name, image, essential));
        }
        if (containers.stream().noneMatch(TaskDefinition.Container::essential)) {
            throw clientException("A task definition must have at least one essential container.");
        }
        boolean fargate = request.path("requiresCompatibilities").toString().contains("FARGATE");
        if (fargate && !request.path("networkMode").asText("").equals("awsvpc")) {
            throw clientException("Fargate only supports network mode 'awsvpc'.");
        }

        validTags(request.path("tags"));
        List<TaskDefinition> revisions = families.computeIfAbsent(family, f -> new ArrayList<>());
        int revision = revisions.size() + 1;
        String arn = arnPrefix + family + ":" + revision;
        json.put("taskDefinitionArn", arn);
        json.put("family", family);
        json.put("revision", revision);
        json.put("status", "ACTIVE");
        ArrayNode compatibilities = json.putArray("compatibilities").add("EC2");
        if (fargate) {
            compatibilities.add("FARGATE");
        }
        TimeFormat.EPOCH_SECONDS.put(json, "registeredAt", now);
        ArrayNode tags = request.path("tags").isArray() ? ((ArrayNode) request.get("tags")).deepCopy()
                : json.arrayNode();
        TaskDefinition definition = new TaskDefinition(arn, family, revision, List.copyOf(containers), json, tags, now);
        revisions.add(definition);
        return definition;
    }

    /**
     * The ECS Tag type: "Maximum number of tags per resource - 50", and "Do not use aws:, AWS:, or
     * any upper or lowercase combination of such as a prefix for either keys or values". ECS
     * answers InvalidParameterException ("Tag key must not start with aws:", as ECS words it,
     * aws/amazon-ecs-agent#1704).
     */
    static void validTags(JsonNode tags) {
        if (!tags.isArray()) {
            return;
        }
        if (tags.size() > 50) {
            throw AwsErrorException.clientError("InvalidParameterException",
                    "Too many tags: " + tags.size() + " were given, a resource has at most 50.");
        }
        for (JsonNode tag : tags) {
            if (tag.path("key").asText("").regionMatches(true, 0, "aws:", 0, 4)) {
                throw AwsErrorException.clientError("InvalidParameterException", "Tag key must not start with aws:");
            }
            if (tag.path("value").asText("").regionMatches(true, 0, "aws:", 0, 4)) {
                throw AwsErrorException.clientError("InvalidParameterException", "Tag value must not start with aws:");
            }
        }
    }

    /**
     * Finds a revision named as {@code family} (latest ACTIVE), {@code family:revision} or a full
     * ARN, as DescribeTaskDefinition accepts; INACTIVE revisions are found only by revision.
     */
    TaskDefinition find(String reference) {
        if (reference == null || reference.isEmpty()) {
            return null;
        }
        String name = reference.startsWith("arn:") && reference.contains(":task-definition/")
                ? reference.substring(reference.indexOf(":task-definition/") + ":task-definition/".length())
                : reference;
        int colon = name.lastIndexOf(':');
        List<TaskDefinition> revisions = families.get(colon < 0 ? name : name.substring(0, colon));
        if (revisions == null) {
            return null;
        }
        if (colon < 0) {
            for (int i = revisions.size() - 1; i >= 0; i--) {
                if (revisions.get(i).active()) {
                    return revisions.get(i);
                }
            }
            return null;
        }
        try {
            int revision = Integer.parseInt(name.substring(colon + 1));
            return revision >= 1 && revision <= revisions.size() ? revisions.get(revision - 1) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** DescribeTaskDefinition: a reference that names nothing is a ClientException. */
    TaskDefinition describe(String reference) {
        TaskDefinition definition = find(reference);
        if (definition == null) {
            throw clientException("Unable to describe task definition.");
        }
        return definition;
    }

    /** Adds a tag as AWS itself applies it (e.g. CloudFormation's {@code aws:cloudformation:stack-name}). */
    void tagAsAws(String reference, String key, String value) {
        TaskDefinition definition = describe(reference);
        definition.tags.addObject().put("key", key).put("value", value);
    }

    /** DeregisterTaskDefinition takes {@code family:revision} or an ARN and leaves the revision INACTIVE. */
    TaskDefinition deregister(String reference, Instant now) {
        String name = reference == null ? "" : reference.substring(reference.lastIndexOf('/') + 1);
        if (!name.contains(":")) {
            throw AwsErrorException.clientError("InvalidParameterException",
                    "A revision must be given: use family:revision or the full task definition ARN.");
        }
        TaskDefinition definition = find(reference);
        if (definition == null) {
            throw clientException("The specified task definition does not exist.");
        }
        definition.status = "INACTIVE";
        definition.json.put("status", "INACTIVE");
        TimeFormat.EPOCH_SECONDS.put(definition.json, "deregisteredAt", now);
        return definition;
    }

    /**
     * ListTaskDefinitions: revision ARNs, optionally of families starting with {@code familyPrefix},
     * with the given status, oldest first unless {@code descending}.
     */
    List<String> list(String familyPrefix, String status, boolean descending) {
        List<String> arns = new ArrayList<>();
        families.values().stream().flatMap(List::stream)
                .filter(d -> familyPrefix == null || d.family.startsWith(familyPrefix))
                .filter(d -> d.status.equals(status))
                .sorted(Comparator.comparing((TaskDefinition d) -> d.family).thenComparingInt(d -> d.revision))
                .forEach(d -> arns.add(d.arn));
        if (descending) {
            Collections.reverse(arns);
        }
        return arns;
    }

    /**
     * The revision a service or task is to run: it must exist, be ACTIVE and, with a consistency
     * delay, have been registered at least that long before {@code now}. API_RunTask: "The Amazon
     * ECS API follows an eventual consistency model … the result of an API command you run that
     * affects your Amazon ECS resources might not be immediately visible to all subsequent commands
     * you run"; a revision not visible yet is answered as one that does not exist.
     */
    TaskDefinition runnable(String reference, Instant now, Duration consistencyDelay) {
        TaskDefinition definition = find(reference);
        if (definition != null && now.isBefore(definition.registeredAt.plus(consistencyDelay))) {
            definition = null;
        }
        if (definition == null) {
            throw AwsErrorException.clientError("InvalidParameterException", "TaskDefinition not found.");
        }
        if (!definition.active()) {
            throw AwsErrorException.clientError("InvalidParameterException", "TaskDefinition is inactive");
        }
        return definition;
    }

    private static AwsErrorException clientException(String message) {
        return AwsErrorException.clientError("ClientException", message);
    }
}
