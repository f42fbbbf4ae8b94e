package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Renders the simulated resources in the ECS API's shapes (Cluster, Service, Deployment, Task, Container). */
final class EcsJson {

    private EcsJson() {
    }

    static ObjectNode cluster(EcsCluster cluster) {
        long running = cluster.tasks.values().stream().filter(t -> t.lastStatus.equals("RUNNING")).count()
                + cluster.services.values().stream().mapToInt(s -> s.deployments.stream()
                .mapToInt(d -> d.runningCount).sum()).sum();
        long pending = cluster.tasks.values().stream()
                .filter(t -> t.lastStatus.equals("PENDING") || t.lastStatus.equals("PROVISIONING")).count()
                + cluster.services.values().stream().mapToInt(s -> s.deployments.stream()
                .mapToInt(d -> d.pendingCount).sum()).sum();
        return Simulation.JSON.createObjectNode()
                .put("clusterArn", cluster.arn)
                .put("clusterName", cluster.name)
                .put("status", "ACTIVE")
                .put("registeredContainerInstancesCount", 0)
                .put("runningTasksCount", running)
                .put("pendingTasksCount", pending)
                .put("activeServicesCount", cluster.services.values().stream()
                        .filter(s -> s.status.equals("ACTIVE")).count());
    }

    static ObjectNode service(EcsService service) {
        ObjectNode json = Simulation.JSON.createObjectNode()
                .put("serviceArn", service.arn)
                .put("serviceName", service.name)
                .put("clusterArn", service.cluster.arn)
                .put("status", service.status)
                .put("desiredCount", service.desiredCount)
                .put("runningCount", service.deployments.stream().mapToInt(d -> d.runningCount).sum())
                .put("pendingCount", service.deployments.stream().mapToInt(d -> d.pendingCount).sum())
                .put("launchType", service.launchType)
                .put("taskDefinition", service.taskDefinition.arn)
                .put("schedulingStrategy", "REPLICA");
        TimeFormat.EPOCH_SECONDS.put(json, "createdAt", service.createdAt);
        ObjectNode configuration = json.putObject("deploymentConfiguration");
        configuration.putObject("deploymentCircuitBreaker")
                .put("enable", service.circuitBreakerEnabled)
                .put("rollback", service.circuitBreakerRollback);
        configuration.put("maximumPercent", 200).put("minimumHealthyPercent", 100);
        if (service.strategy.shiftsTraffic() || !service.strategy.lifecycleHooks().isEmpty()
                || !service.strategy.alarmNames().isEmpty()) {
            service.strategy.render(configuration);
        }
        json.putObject("deploymentController").put("type", service.deploymentController);
        if (service.loadBalancers != null) {
            json.set("loadBalancers", service.loadBalancers.deepCopy());
        }
        if (service.networkConfiguration != null) {
            json.set("networkConfiguration", service.networkConfiguration.deepCopy());
        }
        ArrayNode deployments = json.putArray("deployments");
        service.deployments.forEach(d -> deployments.add(deployment(service, d)));
        ArrayNode events = json.putArray("events");
        service.events.forEach(e -> {
            ObjectNode event = events.addObject().put("id", e.id());
            TimeFormat.EPOCH_SECONDS.put(event, "createdAt", e.createdAt());
            event.put("message", e.message());
        });
        return json;
    }

    private static ObjectNode deployment(EcsService service, Deployment deployment) {
        ObjectNode json = Simulation.JSON.createObjectNode()
                .put("id", deployment.id)
                .put("status", deployment.status)
                .put("taskDefinition", deployment.taskDefinition.arn)
                .put("desiredCount", deployment.desiredCount)
                .put("pendingCount", deployment.pendingCount)
                .put("runningCount", deployment.runningCount)
                .put("failedTasks", deployment.failedTasks);
        TimeFormat.EPOCH_SECONDS.put(json, "createdAt", deployment.createdAt);
        TimeFormat.EPOCH_SECONDS.put(json, "updatedAt", deployment.updatedAt);
        json.put("launchType", service.launchType);
        if (service.reportsRolloutState()) {
            json.put("rolloutState", deployment.rolloutState).put("rolloutStateReason", deployment.rolloutStateReason);
        }
        if (service.networkConfiguration != null) {
            json.set("networkConfiguration", service.networkConfiguration.deepCopy());
        }
        return json;
    }

    static ObjectNode task(EcsTask task, TimeFormat time) {
        ObjectNode json = Simulation.JSON.createObjectNode()
                .put("taskArn", task.arn)
                .put("clusterArn", task.cluster.arn)
                .put("taskDefinitionArn", task.taskDefinition.arn)
                .put("lastStatus", task.lastStatus)
                .put("desiredStatus", task.desiredStatus)
                .put("launchType", task.launchType)
                .put("group", task.group)
                .put("version", task.version);
        if (task.taskDefinition.json.hasNonNull("cpu")) {
            json.put("cpu", task.taskDefinition.json.get("cpu").asText());
        }
        if (task.taskDefinition.json.hasNonNull("memory")) {
            json.put("memory", task.taskDefinition.json.get("memory").asText());
        }
        if (task.startedBy != null) {
            json.put("startedBy", task.startedBy);
        }
        time.put(json, "createdAt", task.createdAt);
        time.put(json, "pullStartedAt", task.pullStartedAt);
        time.put(json, "pullStoppedAt", task.pullStoppedAt);
        time.put(json, "startedAt", task.startedAt);
        time.put(json, "stoppingAt", task.stoppingAt);
        time.put(json, "executionStoppedAt", task.stoppedAt);
        time.put(json, "stoppedAt", task.stoppedAt);
        if (task.stopCode != null) {
            json.put("stopCode", task.stopCode).put("stoppedReason", task.stoppedReason);
        }
        json.set("overrides", task.overrides.deepCopy());
        ArrayNode containers = json.putArray("containers");
        for (EcsTask.Container container : task.containers) {
            ObjectNode c = containers.addObject()
                    .put("containerArn", container.arn)
                    .put("taskArn", task.arn)
                    .put("name", container.name)
                    .put("image", container.image)
                    .put("lastStatus", container.lastStatus);
            if (container.imageDigest != null) {
                c.put("imageDigest", container.imageDigest);
            }
            if (container.exitCode != null) {
                c.put("exitCode", container.exitCode);
            }
            if (container.reason != null) {
                c.put("reason", container.reason);
            }
        }
        return json;
    }
}
