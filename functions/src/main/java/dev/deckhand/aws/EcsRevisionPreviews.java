package dev.deckhand.aws;

import static dev.deckhand.aws.EcsWire.items;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.deploy.ContainerChoice;
import dev.deckhand.deploy.EcsDeployment;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.errors.DeploymentTargetNotFoundException;
import dev.deckhand.plan.RevisionPreview;
import dev.deckhand.plan.RevisionPreviews;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RevisionPreviews} over ECS's JSON API: builds the very registration request
 * {@link EcsApiDeployments#registerRevision} sends (same copy of the live revision, same tags),
 * and renders it and the live revision's equivalent request as lines, without sending it.
 */
public final class EcsRevisionPreviews implements RevisionPreviews {

    private final AwsJsonClient ecs;

    public EcsRevisionPreviews(AwsJsonClient ecs) {
        this.ecs = ecs;
    }

    @Override
    public RevisionPreview preview(String cluster, String service, String container, String imageUri,
            DeploymentId deploymentId) {
        String liveArn = new EcsApiDeployments(ecs).describeService(cluster, service).primary()
                .map(EcsDeployment::taskDefinitionArn).orElseThrow(() -> new DeploymentTargetNotFoundException(
                        "ECS service " + service + " in cluster " + cluster + " has no PRIMARY deployment"));
        JsonNode described = AwsCalls.call("DescribeTaskDefinition " + liveArn,
                () -> EcsWire.describeTaskDefinition(ecs, liveArn, true));
        JsonNode live = described.path("taskDefinition");
        String chosen = ContainerChoice.choose(EcsApiDeployments.containerNames(live), container, liveArn);
        List<JsonNode> tags = EcsApiDeployments.copiedTags(items(described, "tags"));
        tags.add(EcsWire.tag(EcsApiDeployments.DEPLOYMENT_TAG, deploymentId.value()));
        ObjectNode asLive = TaskDefinitionCopy.of(live, items(described, "tags"));
        ObjectNode planned = TaskDefinitionCopy.of(live, tags);
        planned.set("containerDefinitions", EcsApiDeployments.withImage(live, chosen, imageUri));
        return new RevisionPreview(liveArn, chosen, lines(asLive), lines(planned));
    }

    /** A request as indented {@code name: value} lines, members in the request's order, empty ones left out. */
    static List<String> lines(JsonNode request) {
        List<String> out = new ArrayList<>();
        fields(request, "", out);
        return out;
    }

    private static void fields(JsonNode object, String indent, List<String> out) {
        object.fields().forEachRemaining(field -> value(field.getKey(), field.getValue(), indent, out));
    }

    private static void value(String name, JsonNode value, String indent, List<String> out) {
        if (value.isNull() || value.isContainerNode() && value.isEmpty()) {
            return;
        }
        if (value.isObject()) {
            out.add(indent + name + ":");
            fields(value, indent + "  ", out);
        } else if (value.isArray()) {
            out.add(indent + name + ":");
            for (JsonNode item : value) {
                if (item.isObject()) {
                    out.add(indent + "  -");
                    fields(item, indent + "    ", out);
                } else {
                    out.add(indent + "  - " + item.asText());
                }
            }
        } else {
            out.add(indent + name + ": " + value.asText());
        }
    }
}
