package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * A service deployment as ListServiceDeployments and DescribeServiceDeployments show it ("View
 * service history using Amazon ECS service deployments"): the move from the source service
 * revisions to a target revision, with its status. A circuit breaker rollback is part of the same
 * service deployment (ROLLBACK_IN_PROGRESS, then ROLLBACK_SUCCESSFUL), not a new one.
 */
final class ServiceDeployment {

    /** A service revision that was running when the deployment started, with its task counts then. */
    record SourceRevision(String arn, int requested, int running, int pending) {
    }

    final String arn;
    final EcsService service;
    final Instant createdAt;
    final List<SourceRevision> sources;
    final Deployment target;
    final int threshold;
    final boolean circuitBreakerEnabled;
    /** The service's deployment configuration when this deployment started. */
    final DeploymentStrategy strategy;
    String status = "IN_PROGRESS";
    String statusReason;
    Instant updatedAt;
    Instant finishedAt;
    Instant stoppedAt;
    Instant rollbackStartedAt;
    String rollbackReason;
    String rollbackRevisionArn;
    Deployment rollback;
    /** The blue/green, linear or canary deployment this is; null for a rolling one. */
    TrafficShift shift;
    /** Deployment alarms found in ALARM (a rolling deployment's; a traffic shift keeps its own). */
    final java.util.List<String> triggeredAlarms = new java.util.ArrayList<>();
    /** API_ServiceDeployment lifecycleStage, for blue/green, linear and canary deployments. */
    String lifecycleStage;

    ServiceDeployment(String arn, EcsService service, Instant createdAt, List<SourceRevision> sources,
                      Deployment target, boolean circuitBreakerEnabled) {
        this.arn = arn;
        this.service = service;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        this.sources = sources;
        this.target = target;
        this.circuitBreakerEnabled = circuitBreakerEnabled;
        this.strategy = service.strategy;
        this.threshold = ServiceRollout.failureThreshold(target.desiredCount);
    }

    boolean ongoing() {
        return status.equals("IN_PROGRESS") || status.equals("ROLLBACK_IN_PROGRESS");
    }

    /** The ServiceDeploymentBrief shape. */
    ObjectNode brief() {
        ObjectNode json = Simulation.JSON.createObjectNode()
                .put("serviceDeploymentArn", arn)
                .put("serviceArn", service.arn)
                .put("clusterArn", service.cluster.arn);
        TimeFormat.EPOCH_SECONDS.put(json, "startedAt", createdAt);
        TimeFormat.EPOCH_SECONDS.put(json, "createdAt", createdAt);
        TimeFormat.EPOCH_SECONDS.put(json, "finishedAt", finishedAt);
        json.put("targetServiceRevisionArn", target.serviceRevisionArn).put("status", status);
        if (statusReason != null) {
            json.put("statusReason", statusReason);
        }
        return json;
    }

    /** The ServiceDeployment shape. */
    ObjectNode full() {
        ObjectNode json = Simulation.JSON.createObjectNode()
                .put("serviceDeploymentArn", arn)
                .put("serviceArn", service.arn)
                .put("clusterArn", service.cluster.arn);
        TimeFormat.EPOCH_SECONDS.put(json, "createdAt", createdAt);
        TimeFormat.EPOCH_SECONDS.put(json, "startedAt", createdAt);
        TimeFormat.EPOCH_SECONDS.put(json, "finishedAt", finishedAt);
        TimeFormat.EPOCH_SECONDS.put(json, "stoppedAt", stoppedAt);
        TimeFormat.EPOCH_SECONDS.put(json, "updatedAt", updatedAt);
        ArrayNode sourceJson = json.putArray("sourceServiceRevisions");
        sources.forEach(s -> sourceJson.addObject().put("arn", s.arn()).put("requestedTaskCount", s.requested())
                .put("runningTaskCount", s.running()).put("pendingTaskCount", s.pending()));
        json.putObject("targetServiceRevision")
                .put("arn", target.serviceRevisionArn)
                .put("requestedTaskCount", target.desiredCount)
                .put("runningTaskCount", target.runningCount)
                .put("pendingTaskCount", target.pendingCount);
        json.put("status", status);
        if (statusReason != null) {
            json.put("statusReason", statusReason);
        }
        if (lifecycleStage != null) {
            json.put("lifecycleStage", lifecycleStage);
        }
        ObjectNode configuration = json.putObject("deploymentConfiguration");
        strategy.render(configuration);
        if (!strategy.alarmNames().isEmpty()) {
            // API_ServiceDeploymentAlarms: status TRIGGERED | MONITORING | MONITORING_COMPLETE | DISABLED.
            ObjectNode alarms = json.putObject("alarms").put("status", !strategy.alarmsEnabled() ? "DISABLED"
                    : !triggeredAlarms.isEmpty() ? "TRIGGERED" : ongoing() ? "MONITORING" : "MONITORING_COMPLETE");
            ArrayNode names = alarms.putArray("alarmNames");
            strategy.alarmNames().forEach(names::add);
            ArrayNode triggered = alarms.putArray("triggeredAlarmNames");
            triggeredAlarms.forEach(triggered::add);
        }
        if (rollbackStartedAt != null) {
            ObjectNode rollbackJson = json.putObject("rollback").put("reason", rollbackReason);
            TimeFormat.EPOCH_SECONDS.put(rollbackJson, "startedAt", rollbackStartedAt);
            rollbackJson.put("serviceRevisionArn", rollbackRevisionArn);
        }
        json.putObject("deploymentCircuitBreaker")
                .put("status", breakerStatus())
                .put("failureCount", target.failedTasks)
                .put("threshold", threshold);
        return json;
    }

    private String breakerStatus() {
        if (!circuitBreakerEnabled) {
            return "DISABLED";
        }
        if (target.rolloutState.equals("FAILED")) {
            return "TRIGGERED";
        }
        return ongoing() ? "MONITORING" : "MONITORING_COMPLETE";
    }
}
