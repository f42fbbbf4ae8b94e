package dev.deckhand.aws;

import static dev.deckhand.aws.EcsWire.items;
import static dev.deckhand.aws.EcsWire.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.cleanup.KeepRule;
import dev.deckhand.cleanup.TaskDefinitionFamilies;
import java.util.ArrayList;
import java.util.List;

/** {@link TaskDefinitionFamilies} over ECS's JSON API ({@link AwsClients#ecs()}). */
public final class EcsTaskDefinitionFamilies implements TaskDefinitionFamilies {

    private final AwsJsonClient ecs;

    public EcsTaskDefinitionFamilies(AwsJsonClient ecs) {
        this.ecs = ecs;
    }

    @Override
    public List<String> registeredByDeckhand(String family) {
        // API_ListTaskDefinitions: familyPrefix matches every family that starts with it, and the
        // answer pages (nextToken); every page is read, the family is then matched exactly.
        List<String> arns = AwsCalls.call("ListTaskDefinitions " + family, () -> EcsWire.allPages(ecs,
                "ListTaskDefinitions", EcsWire.request().put("familyPrefix", family).put("status", "ACTIVE"),
                "taskDefinitionArns")).stream()
                .map(JsonNode::asText)
                .filter(arn -> KeepRule.family(arn).equals(family))
                .toList();
        List<String> ours = new ArrayList<>();
        for (String arn : arns) {
            JsonNode described = AwsCalls.call("DescribeTaskDefinition " + arn,
                    () -> EcsWire.describeTaskDefinition(ecs, arn, true));
            if (items(described, "tags").stream()
                    .anyMatch(tag -> EcsApiDeployments.DEPLOYMENT_TAG.equals(text(tag, "key")))) {
                ours.add(arn);
            }
        }
        return ours;
    }

    @Override
    public void deregister(String taskDefinitionArn) {
        AwsCalls.call("DeregisterTaskDefinition " + taskDefinitionArn, () -> ecs.call("DeregisterTaskDefinition",
                EcsWire.request().put("taskDefinition", taskDefinitionArn)));
    }
}
