package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The registration request copied from a described task definition. Members: API_RegisterTaskDefinition,
 * Request Syntax / Request Parameters (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html);
 * the description's read-only members: API_TaskDefinition (taskDefinitionArn, revision, status,
 * requiresAttributes, compatibilities, registeredAt, registeredBy, deregisteredAt), which
 * DescribeTaskDefinition answers with the revision's tags beside it (include TAGS).
 */
class TaskDefinitionCopyTest {

    /** DescribeTaskDefinition's {@code taskDefinition}, as ECS answers it for a Fargate revision. */
    private static final String LIVE = """
            {"taskDefinitionArn":"arn:aws:ecs:eu-west-1:123456789012:task-definition/storefront-dev:6",
             "family":"storefront-dev","revision":6,"status":"ACTIVE",
             "taskRoleArn":"arn:aws:iam::123456789012:role/storefront-dev-task",
             "executionRoleArn":"arn:aws:iam::123456789012:role/storefront-dev-execution",
             "networkMode":"awsvpc",
             "containerDefinitions":[
               {"name":"web","image":"acme/storefront:old","essential":true,
                "environment":[{"name":"MODE","value":"web"}],
                "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/acme/storefront"}}},
               {"name":"log-router","image":"fluent-bit:3","essential":false}],
             "volumes":[{"name":"scratch"}],
             "placementConstraints":[],
             "requiresAttributes":[{"name":"com.amazonaws.ecs.capability.task-iam-role"}],
             "compatibilities":["EC2","FARGATE"],
             "requiresCompatibilities":["FARGATE"],
             "cpu":"512","memory":"1024","pidMode":"task","ipcMode":null,
             "ephemeralStorage":{"sizeInGiB":40},
             "runtimePlatform":{"cpuArchitecture":"ARM64","operatingSystemFamily":"LINUX"},
             "enableFaultInjection":false,
             "registeredAt":1764583200.5,"registeredBy":"arn:aws:iam::123456789012:role/ci",
             "deregisteredAt":1764590400.25}
            """;

    private static final List<String> READ_ONLY = List.of("taskDefinitionArn", "revision", "status",
            "requiresAttributes", "compatibilities", "registeredAt", "registeredBy", "deregisteredAt");

    private static JsonNode live() throws Exception {
        return DeckhandJson.MAPPER.readTree(LIVE);
    }

    private static List<String> members(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theAllowListIsRegisterTaskDefinitionsRequestSyntax() {
        // API_RegisterTaskDefinition, Request Parameters: every member a registration accepts, and no other.
        assertThat(TaskDefinitionCopy.REGISTRABLE).containsExactlyInAnyOrder("containerDefinitions", "cpu",
                "enableFaultInjection", "ephemeralStorage", "executionRoleArn", "family", "inferenceAccelerators",
                "ipcMode", "memory", "networkMode", "pidMode", "placementConstraints", "proxyConfiguration",
                "requiresCompatibilities", "runtimePlatform", "tags", "taskRoleArn", "volumes");
        assertThat(TaskDefinitionCopy.REGISTRABLE).doesNotContainAnyElementsOf(READ_ONLY);
    }

    @Test
    void carriesEveryRegistrableMemberOfTheLiveDefinitionAsItIs() throws Exception {
        JsonNode live = live();

        ObjectNode request = TaskDefinitionCopy.of(live, List.of());

        for (String member : List.of("family", "taskRoleArn", "executionRoleArn", "networkMode", "containerDefinitions",
                "volumes", "placementConstraints", "requiresCompatibilities", "cpu", "memory", "pidMode",
                "ephemeralStorage", "runtimePlatform", "enableFaultInjection")) {
            assertThat(request.get(member)).as(member).isEqualTo(live.get(member));
        }
        // In the Request Syntax's order, so a preview of the request reads like the reference.
        assertThat(members(request)).containsExactly("family", "taskRoleArn", "executionRoleArn", "networkMode",
                "containerDefinitions", "volumes", "placementConstraints", "requiresCompatibilities", "cpu", "memory",
                "pidMode", "ephemeralStorage", "runtimePlatform", "enableFaultInjection");
    }

    @Test
    void neverSendsAReadOnlyMemberANullOrTagsItWasNotGiven() throws Exception {
        ObjectNode request = TaskDefinitionCopy.of(live(), List.of());

        assertThat(members(request)).doesNotContainAnyElementsOf(READ_ONLY)
                .doesNotContain("ipcMode", "tags", "proxyConfiguration", "inferenceAccelerators");
    }

    @Test
    void takesTheTagsItIsGivenInTheirPlace() throws Exception {
        ObjectNode request = TaskDefinitionCopy.of(live(), List.of(EcsWire.tag("team", "web"),
                EcsWire.tag("deckhand:deployment-id", "storefront.dev.0123")));

        assertThat(request.get("tags").toString()).isEqualTo(
                "[{\"key\":\"team\",\"value\":\"web\"},{\"key\":\"deckhand:deployment-id\",\"value\":\"storefront.dev.0123\"}]");
        assertThat(members(request).indexOf("tags")).isEqualTo(members(request).indexOf("memory") + 1);
    }

    @Test
    void theCopyIsIndependentOfTheDescription() throws Exception {
        JsonNode live = live();
        ObjectNode request = TaskDefinitionCopy.of(live, List.of());

        ((ObjectNode) request.get("containerDefinitions").get(0)).put("image", "acme/storefront:new");

        assertThat(live.get("containerDefinitions").get(0).get("image").asText()).isEqualTo("acme/storefront:old");
    }
}
