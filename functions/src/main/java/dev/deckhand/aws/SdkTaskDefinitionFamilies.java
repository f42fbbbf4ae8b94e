package dev.deckhand.aws;

import dev.deckhand.cleanup.KeepRule;
import dev.deckhand.cleanup.TaskDefinitionFamilies;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/** {@link TaskDefinitionFamilies} over the AWS SDK's {@link EcsClient}. */
public final class SdkTaskDefinitionFamilies implements TaskDefinitionFamilies {

    private final EcsClient ecs;

    public SdkTaskDefinitionFamilies(EcsClient ecs) {
        this.ecs = ecs;
    }

    @Override
    public List<String> registeredByDeckhand(String family) {
        // API_ListTaskDefinitions: familyPrefix matches every family that starts with it, and the
        // answer pages (nextToken); the paginator follows the pages, the family is then matched exactly.
        List<String> arns = new ArrayList<>();
        AwsCalls.call("ListTaskDefinitions " + family, () -> {
            ecs.listTaskDefinitionsPaginator(request -> request.familyPrefix(family).status(TaskDefinitionStatus.ACTIVE))
                    .taskDefinitionArns().stream()
                    .filter(arn -> KeepRule.family(arn).equals(family))
                    .forEach(arns::add);
            return null;
        });
        List<String> ours = new ArrayList<>();
        for (String arn : arns) {
            DescribeTaskDefinitionResponse described = AwsCalls.call("DescribeTaskDefinition " + arn, () ->
                    ecs.describeTaskDefinition(request -> request.taskDefinition(arn).include(TaskDefinitionField.TAGS)));
            if (described.tags().stream().anyMatch(tag -> tag.key().equals(SdkEcsDeployments.DEPLOYMENT_TAG))) {
                ours.add(arn);
            }
        }
        return ours;
    }

    @Override
    public void deregister(String taskDefinitionArn) {
        AwsCalls.call("DeregisterTaskDefinition " + taskDefinitionArn, () ->
                ecs.deregisterTaskDefinition(request -> request.taskDefinition(taskDefinitionArn)));
    }
}
