package dev.deckhand.aws;

import static dev.deckhand.aws.EcsWire.integer;
import static dev.deckhand.aws.EcsWire.items;
import static dev.deckhand.aws.EcsWire.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.deploy.ContainerChoice;
import dev.deckhand.deploy.EcsDeployment;
import dev.deckhand.deploy.EcsDeployments;
import dev.deckhand.deploy.ServiceDeploymentState;
import dev.deckhand.deploy.ServiceSnapshot;
import dev.deckhand.deploy.StrategyRequest;
import dev.deckhand.deploy.TaskDefinitionRevision;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.errors.DeploymentTargetNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** {@link EcsDeployments} over ECS's JSON API ({@link AwsClients#ecs()}). */
public final class EcsApiDeployments implements EcsDeployments {

    /** Marks the revisions Deckhand registers, so a retried step finds its own revision. */
    static final String DEPLOYMENT_TAG = "deckhand:deployment-id";
    private static final int EVENTS_KEPT = 10;
    /** "Maximum number of tags per resource - 50" (ECS Tag). */
    static final int MAX_TAGS = 50;

    private final AwsJsonClient ecs;

    public EcsApiDeployments(AwsJsonClient ecs) {
        this.ecs = ecs;
    }

    @Override
    public ServiceSnapshot describeService(String cluster, String service) {
        JsonNode described = EcsWire.liveService(ecs, cluster, service);
        List<EcsDeployment> deployments = items(described, "deployments").stream().map(EcsApiDeployments::deployment)
                .toList();
        List<String> events = items(described, "events").stream().limit(EVENTS_KEPT)
                .map(event -> text(event, "message")).toList();
        return new ServiceSnapshot(text(described, "serviceArn"), text(described, "status"), deployments, events,
                value(integer(described, "desiredCount")));
    }

    @Override
    public TaskDefinitionRevision registerRevision(String baseTaskDefinitionArn, String container, String imageUri,
            DeploymentId deploymentId) {
        JsonNode base = describeTaskDefinition(baseTaskDefinitionArn);
        JsonNode live = base.path("taskDefinition");
        String family = text(live, "family");
        String chosen = ContainerChoice.choose(containerNames(live), container, text(live, "taskDefinitionArn"));

        Optional<TaskDefinitionRevision> previous = revisionAlreadyRegistered(family, chosen, imageUri, deploymentId);
        if (previous.isPresent()) {
            return previous.get();
        }
        List<JsonNode> tags = copiedTags(items(base, "tags"));
        tags.add(EcsWire.tag(DEPLOYMENT_TAG, deploymentId.value()));
        ObjectNode request = TaskDefinitionCopy.of(live, tags);
        request.set("containerDefinitions", withImage(live, chosen, imageUri));
        String arn = AwsCalls.call("RegisterTaskDefinition for family " + family,
                () -> ecs.call("RegisterTaskDefinition", request)).path("taskDefinition").path("taskDefinitionArn")
                .asText();
        return new TaskDefinitionRevision(arn, chosen, false);
    }

    static List<String> containerNames(JsonNode taskDefinition) {
        return items(taskDefinition, "containerDefinitions").stream().map(definition -> text(definition, "name"))
                .toList();
    }

    /** The task definition's containers with {@code chosen}'s image replaced. */
    static ArrayNode withImage(JsonNode taskDefinition, String chosen, String imageUri) {
        JsonNode live = taskDefinition.path("containerDefinitions");
        ArrayNode containers = live.isArray() ? ((ArrayNode) live).deepCopy() : EcsWire.strings(List.of());
        containers.forEach(definition -> {
            if (chosen.equals(text(definition, "name"))) {
                ((ObjectNode) definition).put("image", imageUri);
            }
        });
        return containers;
    }

    @Override
    public String updateService(String cluster, String service, String taskDefinitionArn, StrategyRequest strategy) {
        JsonNode current = EcsWire.liveService(ecs, cluster, service);
        Optional<JsonNode> primary = primary(current);
        if (primary.isPresent() && taskDefinitionArn.equals(text(primary.get(), "taskDefinition"))) {
            return text(primary.get(), "id");
        }
        ObjectNode request = EcsWire.request().put("cluster", cluster).put("service", service)
                .put("taskDefinition", taskDefinitionArn);
        if (strategy != null) {
            request.set("deploymentConfiguration", StrategyConfiguration.of(current, strategy));
            ArrayNode balancers = StrategyConfiguration.loadBalancers(current, strategy);
            if (balancers != null) {
                request.set("loadBalancers", balancers);
            }
        }
        String description = "UpdateService " + cluster + "/" + service;
        JsonNode updated = AwsCalls.callWithNewRevision(description, taskDefinitionArn, () -> {
            try {
                return ecs.call("UpdateService", request).path("service");
            } catch (AwsServiceException e) {
                if (AwsCalls.isError(e, "ServiceNotFoundException", "ServiceNotActiveException",
                        "ClusterNotFoundException")) {
                    throw EcsWire.serviceNotFound(cluster, service, e.awsErrorDetails().errorCode());
                }
                throw e;
            }
        });
        return primary(updated).map(deployment -> text(deployment, "id")).orElseThrow(() -> new IllegalStateException(
                "UpdateService answered without a PRIMARY deployment for " + cluster + "/" + service));
    }

    @Override
    public Optional<String> newestServiceDeployment(String cluster, String service, Instant notBefore) {
        // API_ListServiceDeployments: createdAt (a CreatedAt: after, before) filters by when the service
        // deployment was created; the answer pages with nextToken.
        ObjectNode request = EcsWire.request().put("cluster", cluster).put("service", service);
        request.putObject("createdAt").put("after", EpochSeconds.of(notBefore));
        List<JsonNode> briefs = AwsCalls.call("ListServiceDeployments " + cluster + "/" + service,
                () -> EcsWire.allPages(ecs, "ListServiceDeployments", request, "serviceDeployments"));
        return briefs.stream().filter(brief -> EpochSeconds.instant(brief.get("createdAt")) != null)
                .max(Comparator.comparing(brief -> EpochSeconds.instant(brief.get("createdAt"))))
                .map(brief -> text(brief, "serviceDeploymentArn"));
    }

    @Override
    public Optional<ServiceDeploymentState> serviceDeployment(String serviceDeploymentArn) {
        // API_DescribeServiceDeployments: up to 20 ARNs; an unknown one comes back in failures, not as an error.
        ObjectNode request = EcsWire.request();
        request.putArray("serviceDeploymentArns").add(serviceDeploymentArn);
        List<JsonNode> found = items(AwsCalls.call("DescribeServiceDeployments " + serviceDeploymentArn,
                () -> ecs.call("DescribeServiceDeployments", request)), "serviceDeployments");
        return found.stream().findFirst().map(deployment -> new ServiceDeploymentState(
                text(deployment, "status"), text(deployment, "statusReason"), text(deployment, "lifecycleStage"),
                text(deployment.path("rollback"), "reason"), text(deployment.path("targetServiceRevision"), "arn")));
    }

    @Override
    public List<String> stoppedTasks(String cluster, String service, String ecsDeploymentId, int limit) {
        try {
            // API_ListTasks: startedBy "must be the only filter that you use", so list the service's
            // stopped tasks and keep those of this deployment: ECS starts a service deployment's
            // tasks with startedBy = the deployment id.
            List<String> arns = EcsWire.allPages(ecs, "ListTasks", EcsWire.request().put("cluster", cluster)
                    .put("serviceName", service).put("desiredStatus", "STOPPED"), "taskArns").stream()
                    .map(JsonNode::asText).toList();
            List<String> reasons = new ArrayList<>();
            // DescribeTasks takes at most 100 tasks per call.
            for (int from = 0; from < arns.size() && reasons.size() < limit; from += 100) {
                List<String> batch = arns.subList(from, Math.min(arns.size(), from + 100));
                for (JsonNode task : EcsWire.describeTasks(ecs, cluster, batch)) {
                    if (ecsDeploymentId.equals(text(task, "startedBy")) && reasons.size() < limit) {
                        reasons.add(stoppedReason(task));
                    }
                }
            }
            return reasons;
        } catch (SdkException e) {
            // Diagnostics only: a failed look-up must not hide the rollout's own verdict.
            return List.of();
        }
    }

    private static String stoppedReason(JsonNode task) {
        String containers = items(task, "containers").stream()
                .map(container -> text(container, "name") + (integer(container, "exitCode") == null ? " never ran"
                        : " exited " + integer(container, "exitCode"))
                        + (text(container, "reason") == null ? "" : " (" + text(container, "reason") + ")"))
                .collect(Collectors.joining(", "));
        return containers + ": " + text(task, "stoppedReason");
    }

    /**
     * The live revision's tags that a registration may carry, leaving room for Deckhand's own.
     * "Tagging your Amazon ECS resources" / the Tag type: at most 50 tags per resource, and
     * {@code aws:} (any case) is reserved as a prefix of keys and values, which ECS applies itself
     * and refuses from callers. Deckhand's own tags from an earlier deployment are replaced.
     */
    static List<JsonNode> copiedTags(List<JsonNode> live) {
        List<JsonNode> tags = new ArrayList<>();
        live.stream()
                .filter(tag -> !Objects.requireNonNullElse(text(tag, "key"), "").startsWith("deckhand:"))
                .filter(tag -> !reserved(text(tag, "key")) && !reserved(text(tag, "value")))
                .limit(MAX_TAGS - 1)
                .forEach(tags::add);
        return tags;
    }

    private static boolean reserved(String text) {
        return text != null && text.regionMatches(true, 0, "aws:", 0, 4);
    }

    private static boolean taggedFor(JsonNode described, DeploymentId deploymentId) {
        return items(described, "tags").stream().anyMatch(tag -> DEPLOYMENT_TAG.equals(text(tag, "key"))
                && deploymentId.value().equals(text(tag, "value")));
    }

    private Optional<TaskDefinitionRevision> revisionAlreadyRegistered(String family, String container, String imageUri,
            DeploymentId deploymentId) {
        // API_DescribeTaskDefinition: a family names its latest ACTIVE revision. When every revision
        // is INACTIVE there is none, and so no revision this deployment registered (it would be ACTIVE).
        Optional<JsonNode> latestActive = latestActiveRevision(family);
        if (latestActive.isEmpty()) {
            return Optional.empty();
        }
        JsonNode latest = latestActive.get();
        boolean sameImage = items(latest.path("taskDefinition"), "containerDefinitions").stream()
                .anyMatch(definition -> container.equals(text(definition, "name"))
                        && imageUri.equals(text(definition, "image")));
        return taggedFor(latest, deploymentId) && sameImage
                ? Optional.of(new TaskDefinitionRevision(text(latest.path("taskDefinition"), "taskDefinitionArn"),
                        container, true))
                : Optional.empty();
    }

    /** DescribeTaskDefinition's whole answer: {@code taskDefinition} and its {@code tags}. */
    private JsonNode describeTaskDefinition(String taskDefinition) {
        return AwsCalls.call("DescribeTaskDefinition " + taskDefinition, () -> {
            try {
                return EcsWire.describeTaskDefinition(ecs, taskDefinition, true);
            } catch (AwsServiceException e) {
                // ECS answers ClientException for a task definition that does not exist.
                if (AwsCalls.isError(e, "ClientException")) {
                    throw new DeploymentTargetNotFoundException("task definition " + taskDefinition
                            + " cannot be described: " + e.awsErrorDetails().errorMessage());
                }
                throw e;
            }
        });
    }

    private Optional<JsonNode> latestActiveRevision(String family) {
        return AwsCalls.call("DescribeTaskDefinition " + family, () -> {
            try {
                return Optional.of(EcsWire.describeTaskDefinition(ecs, family, true));
            } catch (AwsServiceException e) {
                // ECS answers ClientException when the family has no ACTIVE revision.
                if (AwsCalls.isError(e, "ClientException")) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    private static Optional<JsonNode> primary(JsonNode service) {
        return items(service, "deployments").stream().filter(deployment -> "PRIMARY".equals(text(deployment, "status")))
                .findFirst();
    }

    private static EcsDeployment deployment(JsonNode deployment) {
        return new EcsDeployment(text(deployment, "id"), text(deployment, "taskDefinition"), text(deployment, "status"),
                text(deployment, "rolloutState"), text(deployment, "rolloutStateReason"),
                value(integer(deployment, "desiredCount")), value(integer(deployment, "runningCount")),
                value(integer(deployment, "failedTasks")));
    }

    // API_DeregisterTaskDefinition: an INACTIVE revision cannot be the target of UpdateService, but
    // "INACTIVE task definitions remain discoverable", so its description is copied into a new one.
    @Override
    public TaskDefinitionRevision usableRevision(String taskDefinitionArn, DeploymentId deploymentId) {
        JsonNode described = describeTaskDefinition(taskDefinitionArn);
        JsonNode verified = described.path("taskDefinition");
        if (!"INACTIVE".equals(text(verified, "status"))) {
            return new TaskDefinitionRevision(text(verified, "taskDefinitionArn"), null, true);
        }
        JsonNode latest = describeTaskDefinition(text(verified, "family"));
        if (taggedFor(latest, deploymentId) && latest.path("taskDefinition").path("containerDefinitions")
                .equals(verified.path("containerDefinitions"))) {
            return new TaskDefinitionRevision(text(latest.path("taskDefinition"), "taskDefinitionArn"), null, true);
        }
        List<JsonNode> tags = new ArrayList<>();
        items(described, "tags").stream().filter(tag -> !Objects.requireNonNullElse(text(tag, "key"), "")
                .startsWith("deckhand:")).forEach(tags::add);
        tags.add(EcsWire.tag(DEPLOYMENT_TAG, deploymentId.value()));
        ObjectNode request = TaskDefinitionCopy.of(verified, tags);
        String arn = AwsCalls.call("RegisterTaskDefinition again for " + taskDefinitionArn,
                () -> ecs.call("RegisterTaskDefinition", request)).path("taskDefinition").path("taskDefinitionArn")
                .asText();
        return new TaskDefinitionRevision(arn, null, false);
    }

    private static int value(Integer number) {
        return number == null ? 0 : number;
    }
}
