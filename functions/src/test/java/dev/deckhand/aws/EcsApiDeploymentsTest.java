package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deploy.TaskDefinitionRevision;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.errors.DeploymentTargetNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EcsApiDeployments}' requests and its reading of ECS's answers, as ECS's wire JSON (AWS JSON 1.1,
 * target AmazonEC2ContainerServiceV20141113, signed for "ecs"), against a loopback service:
 * <ul>
 * <li>API_ListServiceDeployments (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServiceDeployments.html):
 *     request {@code "createdAt": {"after": number, "before": number}}, {@code nextToken}; answer
 *     {@code serviceDeployments[].createdAt} (Timestamp) and {@code nextToken}, null on the last page.</li>
 * <li>API_DescribeTaskDefinition: {@code include: ["TAGS"]}; answer {@code taskDefinition} and, beside it,
 *     {@code tags}. API_RegisterTaskDefinition: the request members (see {@link TaskDefinitionCopyTest}).</li>
 * <li>API_UpdateService, Errors: ServiceNotFoundException, ServiceNotActiveException, ClusterNotFoundException
 *     (HTTP 400), answered with {@code __type} naming the error.</li>
 * </ul>
 */
class EcsApiDeploymentsTest {

    private static final String TARGET = "AmazonEC2ContainerServiceV20141113.";
    private static final DeploymentId DEPLOYMENT = DeploymentId.parse("storefront.dev.0123456789abcdef");

    private final LoopbackAwsService ecs = new LoopbackAwsService();
    private final EcsApiDeployments deployments = new EcsApiDeployments(ecs.clients().ecs());

    @AfterEach
    void stop() {
        ecs.close();
    }

    @Test
    void theNewestServiceDeploymentIsReadFromEveryPageByItsCreationTime() {
        ecs.answer(200, """
                {"serviceDeployments":[
                  {"serviceDeploymentArn":"arn:aws:ecs:eu-west-1:123456789012:service-deployment/dev/web/a","createdAt":1795428001.5},
                  {"serviceDeploymentArn":"arn:aws:ecs:eu-west-1:123456789012:service-deployment/dev/web/b","createdAt":1795428003.25}],
                 "nextToken":"page-2"}""");
        ecs.answer(200, """
                {"serviceDeployments":[
                  {"serviceDeploymentArn":"arn:aws:ecs:eu-west-1:123456789012:service-deployment/dev/web/c","createdAt":1795428002.75}]}""");

        assertThat(deployments.newestServiceDeployment("dev", "web", Instant.parse("2026-11-23T10:00:00.125Z")))
                .contains("arn:aws:ecs:eu-west-1:123456789012:service-deployment/dev/web/b");

        List<LoopbackAwsService.Request> requests = ecs.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).target()).isEqualTo(TARGET + "ListServiceDeployments");
        assertThat(requests.get(0).contentType()).isEqualTo("application/x-amz-json-1.1");
        assertThat(requests.get(0).authorization()).contains("/eu-west-1/ecs/aws4_request");
        assertThat(requests.get(0).body())
                .isEqualTo("{\"cluster\":\"dev\",\"service\":\"web\",\"createdAt\":{\"after\":1795428000.125}}");
        assertThat(requests.get(1).json().path("nextToken").asText()).isEqualTo("page-2");
        assertThat(requests.get(1).json().path("createdAt")).isEqualTo(requests.get(0).json().path("createdAt"));
    }

    @Test
    void aRevisionIsRegisteredFromTheLiveOneWithoutItsReadOnlyMembersAndWithDeckhandsTag() {
        String live = """
                {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:123456789012:task-definition/web:6",
                  "family":"web","revision":6,"status":"ACTIVE","networkMode":"awsvpc","cpu":"256","memory":"512",
                  "requiresCompatibilities":["FARGATE"],"compatibilities":["EC2","FARGATE"],
                  "requiresAttributes":[{"name":"ecs.capability.task-eni"}],
                  "registeredAt":1795428000.5,"registeredBy":"arn:aws:iam::123456789012:role/ci",
                  "containerDefinitions":[{"name":"web","image":"acme/web:old","essential":true},
                                          {"name":"sidecar","image":"envoy:1","essential":false}]},
                 "tags":[{"key":"team","value":"storefront"},{"key":"aws:cloudformation:stack-name","value":"web"},
                         {"key":"deckhand:deployment-id","value":"storefront.dev.fedcba9876543210"}]}""";
        ecs.answer(200, live); // the base revision
        ecs.answer(200, live); // the family's latest ACTIVE revision: not this deployment's
        ecs.answer(200, "{\"taskDefinition\":{\"taskDefinitionArn\":\"arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7\"}}");

        TaskDefinitionRevision revision = deployments.registerRevision(
                "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:6", "web", "acme/web@sha256:1", DEPLOYMENT);

        assertThat(revision).isEqualTo(new TaskDefinitionRevision(
                "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7", "web", false));
        List<LoopbackAwsService.Request> requests = ecs.requests();
        assertThat(requests).extracting(LoopbackAwsService.Request::target).containsExactly(
                TARGET + "DescribeTaskDefinition", TARGET + "DescribeTaskDefinition", TARGET + "RegisterTaskDefinition");
        assertThat(requests.get(0).body()).isEqualTo(
                "{\"taskDefinition\":\"arn:aws:ecs:eu-west-1:123456789012:task-definition/web:6\",\"include\":[\"TAGS\"]}");
        assertThat(requests.get(1).json().path("taskDefinition").asText()).isEqualTo("web");
        JsonNode register = requests.get(2).json();
        List<String> members = new ArrayList<>();
        register.fieldNames().forEachRemaining(members::add);
        assertThat(members).containsExactly("family", "networkMode", "containerDefinitions", "requiresCompatibilities",
                "cpu", "memory", "tags");
        assertThat(register.path("containerDefinitions").toString()).isEqualTo(
                "[{\"name\":\"web\",\"image\":\"acme/web@sha256:1\",\"essential\":true},"
                        + "{\"name\":\"sidecar\",\"image\":\"envoy:1\",\"essential\":false}]");
        // aws: is reserved to ECS, and Deckhand's tag of the earlier deployment gives way to this one's.
        assertThat(register.path("tags").toString()).isEqualTo("[{\"key\":\"team\",\"value\":\"storefront\"},"
                + "{\"key\":\"deckhand:deployment-id\",\"value\":\"storefront.dev.0123456789abcdef\"}]");
    }

    @Test
    void aServiceThatIsGoneOrInactiveIsNotFoundWithEcsErrorCode() {
        ecs.answer(200, """
                {"services":[{"serviceArn":"arn:aws:ecs:eu-west-1:123456789012:service/dev/web","status":"ACTIVE",
                  "deployments":[{"id":"ecs-svc/1","status":"PRIMARY",
                    "taskDefinition":"arn:aws:ecs:eu-west-1:123456789012:task-definition/web:6"}]}],"failures":[]}""");
        ecs.answer(400, "{\"__type\":\"com.amazonaws.ecs#ServiceNotActiveException\",\"message\":\"Service was not ACTIVE.\"}");

        assertThatThrownBy(() -> deployments.updateService("dev", "web",
                "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7"))
                .isInstanceOf(DeploymentTargetNotFoundException.class)
                .hasMessage("ECS service web not found in cluster dev (ServiceNotActiveException)");
    }

    @Test
    void aMissingClusterIsNotFoundAndAMissingServiceNamesEcsFailure() {
        ecs.answer(400, "{\"__type\":\"ClusterNotFoundException\",\"message\":\"Cluster not found.\"}");
        assertThatThrownBy(() -> deployments.describeService("nowhere", "web"))
                .isInstanceOf(DeploymentTargetNotFoundException.class).hasMessage("ECS cluster nowhere not found");

        try (LoopbackAwsService missing = new LoopbackAwsService()) {
            missing.answer(200, "{\"services\":[],\"failures\":[{\"arn\":\"arn:aws:ecs:eu-west-1:123456789012:service/dev/web\","
                    + "\"reason\":\"MISSING\"}]}");
            assertThatThrownBy(() -> new EcsApiDeployments(missing.clients().ecs()).describeService("dev", "web"))
                    .isInstanceOf(DeploymentTargetNotFoundException.class)
                    .hasMessage("ECS service web not found in cluster dev (MISSING)");
        }
    }
}
