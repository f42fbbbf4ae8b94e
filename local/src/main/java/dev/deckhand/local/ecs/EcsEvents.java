package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The events ECS sends to EventBridge, shaped as the ECS developer guide documents them:
 * "Amazon ECS service deployment state change events" ({@code ECS Deployment State Change}),
 * "Amazon ECS service action events" ({@code ECS Service Action}) and "Amazon ECS task state
 * change events" ({@code ECS Task State Change}).
 */
final class EcsEvents {

    private final String region;
    private final String accountId;

    EcsEvents(String region, String accountId) {
        this.region = region;
        this.accountId = accountId;
    }

    /**
     * {@code eventName} SERVICE_DEPLOYMENT_IN_PROGRESS, _COMPLETED or _FAILED; FAILED is an ERROR
     * event, the others INFO. The reason text follows the guide's examples.
     */
    ObjectNode deploymentStateChange(EcsService service, Deployment deployment, String eventName,
                                     String reason, Instant at) {
        ObjectNode event = envelope("ECS Deployment State Change", at, service.arn);
        ObjectNode detail = event.putObject("detail")
                .put("eventType", eventName.equals("SERVICE_DEPLOYMENT_FAILED") ? "ERROR" : "INFO")
                .put("eventName", eventName)
                .put("deploymentId", deployment.id);
        TimeFormat.ISO.put(detail, "updatedAt", at);
        detail.put("reason", reason);
        return event;
    }

    /** An INFO service action, e.g. SERVICE_STEADY_STATE. */
    ObjectNode serviceAction(EcsService service, String eventName, Instant at) {
        ObjectNode event = envelope("ECS Service Action", at, service.arn);
        ObjectNode detail = event.putObject("detail")
                .put("eventType", "INFO")
                .put("eventName", eventName)
                .put("clusterArn", service.cluster.arn);
        TimeFormat.ISO.put(detail, "createdAt", at);
        return event;
    }

    /** The task as DescribeTasks shows it, with ISO timestamps and {@code updatedAt}. */
    ObjectNode taskStateChange(EcsTask task, Instant at) {
        ObjectNode event = envelope("ECS Task State Change", at, task.arn);
        ObjectNode detail = EcsJson.task(task, TimeFormat.ISO);
        TimeFormat.ISO.put(detail, "updatedAt", at);
        event.set("detail", detail);
        return event;
    }

    private ObjectNode envelope(String detailType, Instant at, String resource) {
        ObjectNode event = Simulation.JSON.createObjectNode()
                .put("version", "0")
                .put("id", UUID.randomUUID().toString())
                .put("detail-type", detailType)
                .put("source", "aws.ecs")
                .put("account", accountId)
                .put("time", at.truncatedTo(ChronoUnit.SECONDS).toString())
                .put("region", region);
        event.putArray("resources").add(resource);
        return event;
    }
}
