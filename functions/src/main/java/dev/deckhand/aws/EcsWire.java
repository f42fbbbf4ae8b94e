package dev.deckhand.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.errors.DeploymentTargetNotFoundException;
import dev.deckhand.json.DeckhandJson;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * ECS's wire JSON (AWS JSON 1.1, member names as the ECS API reference's Request and Response
 * Syntax spell them), read and written by the ECS adapters: requests, paging, error codes.
 */
final class EcsWire {

    private EcsWire() {
    }

    static ObjectNode request() {
        return DeckhandJson.MAPPER.createObjectNode();
    }

    /** Sets a member unless it has no value: the SDK leaves out a member that was never set, and so does Deckhand. */
    static ObjectNode put(ObjectNode node, String member, Object value) {
        if (value != null) {
            node.set(member, DeckhandJson.MAPPER.valueToTree(value));
        }
        return node;
    }

    static ArrayNode strings(List<String> values) {
        ArrayNode array = DeckhandJson.MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    static ObjectNode tag(String key, String value) {
        return request().put("key", key).put("value", value);
    }

    /** A string member, or {@code null} when it is absent or null (as the SDK's getters answer). */
    static String text(JsonNode node, String member) {
        JsonNode value = node.get(member);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** An integer member, or {@code null} when it is absent or null. */
    static Integer integer(JsonNode node, String member) {
        JsonNode value = node.get(member);
        return value == null || value.isNull() ? null : value.asInt();
    }

    /** The elements of a list member; none when it is absent. */
    static List<JsonNode> items(JsonNode node, String member) {
        List<JsonNode> items = new ArrayList<>();
        node.path(member).forEach(items::add);
        return items;
    }

    /**
     * Every page of a list operation: ECS's List* answers carry {@code nextToken} while more remain
     * (API_ListTasks, API_ListTaskDefinitions, API_ListServiceDeployments: "nextToken … This value is
     * null when there are no more results to return").
     */
    static List<JsonNode> allPages(AwsJsonClient ecs, String operation, ObjectNode request, String member) {
        List<JsonNode> all = new ArrayList<>();
        ObjectNode page = request.deepCopy();
        while (true) {
            JsonNode answer = ecs.call(operation, page);
            all.addAll(items(answer, member));
            String next = text(answer, "nextToken");
            if (next == null || next.isEmpty()) {
                return all;
            }
            page.put("nextToken", next);
        }
    }

    /** DescribeTaskDefinition, with the revision's tags when asked (API_DescribeTaskDefinition: include TAGS). */
    static JsonNode describeTaskDefinition(AwsJsonClient ecs, String taskDefinition, boolean withTags) {
        ObjectNode request = request().put("taskDefinition", taskDefinition);
        if (withTags) {
            request.putArray("include").add("TAGS");
        }
        return ecs.call("DescribeTaskDefinition", request);
    }

    /** DescribeServices for one service (API_DescribeServices: a missing one is listed under failures). */
    static JsonNode describeService(AwsJsonClient ecs, String cluster, String service) {
        ObjectNode request = request().put("cluster", cluster);
        request.putArray("services").add(service);
        return ecs.call("DescribeServices", request);
    }

    /**
     * The service as DescribeServices describes it, or DeploymentTargetNotFoundException when the
     * cluster does not exist (ClusterNotFoundException) or the service is not in it (an empty
     * {@code services} with the {@code failures}' reasons, API_DescribeServices).
     */
    static JsonNode liveService(AwsJsonClient ecs, String cluster, String service) {
        JsonNode response = AwsCalls.call("DescribeServices " + cluster + "/" + service, () -> {
            try {
                return describeService(ecs, cluster, service);
            } catch (AwsServiceException e) {
                if (AwsCalls.isError(e, "ClusterNotFoundException")) {
                    throw new DeploymentTargetNotFoundException("ECS cluster " + cluster + " not found");
                }
                throw e;
            }
        });
        List<JsonNode> services = items(response, "services");
        if (services.isEmpty()) {
            String reasons = items(response, "failures").stream().map(failure -> text(failure, "reason"))
                    .collect(Collectors.joining(", "));
            throw serviceNotFound(cluster, service, reasons.isEmpty() ? "MISSING" : reasons);
        }
        return services.get(0);
    }

    static DeploymentTargetNotFoundException serviceNotFound(String cluster, String service, String reason) {
        return new DeploymentTargetNotFoundException("ECS service " + service + " not found in cluster " + cluster
                + " (" + reason + ")");
    }

    /** DescribeTasks for up to 100 tasks (API_DescribeTasks: "tasks … Up to 100 task IDs or full ARN entries"). */
    static List<JsonNode> describeTasks(AwsJsonClient ecs, String cluster, List<String> taskArns) {
        ObjectNode request = request().put("cluster", cluster);
        request.set("tasks", strings(taskArns));
        return items(ecs.call("DescribeTasks", request), "tasks");
    }
}
