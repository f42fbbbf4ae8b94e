package dev.deckhand.aws;

import dev.deckhand.deploy.ContainerChoice;
import dev.deckhand.deploy.EcsDeployment;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.errors.DeploymentTargetNotFoundException;
import dev.deckhand.plan.RevisionPreview;
import dev.deckhand.plan.RevisionPreviews;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * {@link RevisionPreviews} over the SDK: builds the very registration request
 * {@link SdkEcsDeployments#registerRevision} sends (same copy of the live revision, same tags),
 * and renders it and the live revision's equivalent request as lines, without sending it.
 */
public final class SdkRevisionPreviews implements RevisionPreviews {

    private final EcsClient ecs;

    public SdkRevisionPreviews(EcsClient ecs) {
        this.ecs = ecs;
    }

    @Override
    public RevisionPreview preview(String cluster, String service, String container, String imageUri,
            DeploymentId deploymentId) {
        String liveArn = new SdkEcsDeployments(ecs).describeService(cluster, service).primary()
                .map(EcsDeployment::taskDefinitionArn).orElseThrow(() -> new DeploymentTargetNotFoundException(
                        "ECS service " + service + " in cluster " + cluster + " has no PRIMARY deployment"));
        DescribeTaskDefinitionResponse described = AwsCalls.call("DescribeTaskDefinition " + liveArn, () ->
                ecs.describeTaskDefinition(request -> request.taskDefinition(liveArn).include(TaskDefinitionField.TAGS)));
        TaskDefinition live = described.taskDefinition();
        String chosen = ContainerChoice.choose(live.containerDefinitions().stream().map(ContainerDefinition::name)
                .toList(), container, liveArn);
        List<ContainerDefinition> containers = live.containerDefinitions().stream()
                .map(definition -> definition.name().equals(chosen) ? definition.toBuilder().image(imageUri).build()
                        : definition)
                .toList();
        List<Tag> tags = SdkEcsDeployments.copiedTags(described.tags());
        tags.add(Tag.builder().key(SdkEcsDeployments.DEPLOYMENT_TAG).value(deploymentId.value()).build());
        RegisterTaskDefinitionRequest asLive = TaskDefinitionCopy.of(live).tags(described.tags()).build();
        RegisterTaskDefinitionRequest planned = TaskDefinitionCopy.of(live).containerDefinitions(containers).tags(tags)
                .build();
        return new RevisionPreview(liveArn, chosen, lines(asLive), lines(planned));
    }

    /** A request as indented {@code name: value} lines, members in the model's order, empty ones left out. */
    static List<String> lines(SdkPojo request) {
        List<String> out = new ArrayList<>();
        fields(request, "", out);
        return out;
    }

    private static void fields(SdkPojo pojo, String indent, List<String> out) {
        for (SdkField<?> field : pojo.sdkFields()) {
            value(field.locationName(), field.getValueOrDefault(pojo), indent, out);
        }
    }

    private static void value(String name, Object value, String indent, List<String> out) {
        if (value == null || value instanceof Collection<?> c && c.isEmpty() || value instanceof Map<?, ?> m && m.isEmpty()) {
            return;
        }
        if (value instanceof SdkPojo pojo) {
            out.add(indent + name + ":");
            fields(pojo, indent + "  ", out);
        } else if (value instanceof Collection<?> items) {
            out.add(indent + name + ":");
            for (Object item : items) {
                if (item instanceof SdkPojo pojo) {
                    out.add(indent + "  -");
                    fields(pojo, indent + "    ", out);
                } else {
                    out.add(indent + "  - " + item);
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            out.add(indent + name + ":");
            new TreeMap<>(map).forEach((key, item) -> value(String.valueOf(key), item, indent + "  ", out));
        } else {
            out.add(indent + name + ": " + value);
        }
    }
}
