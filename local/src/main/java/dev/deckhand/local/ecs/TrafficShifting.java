package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Drives blue/green, linear and canary service deployments through ECS's lifecycle stages
 * ("Amazon ECS blue/green service deployments workflow", API_ServiceDeployment lifecycleStage):
 * RECONCILE_SERVICE (when more than one revision is ACTIVE), PRE_SCALE_UP, SCALE_UP,
 * POST_SCALE_UP, TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT (one step
 * for blue/green; canaryPercent, bake, 100 % for canary; steps of stepPercent with a bake between
 * them for linear), POST_PRODUCTION_TRAFFIC_SHIFT, BAKE_TIME and CLEAN_UP. At each stage the
 * lifecycle hooks registered for it are invoked ("Lambda hooks for Amazon ECS service
 * deployments"): SUCCEEDED goes on, IN_PROGRESS invokes again after callBackDelay (30 s by
 * default), and FAILED, an invalid answer or a failed invocation rolls back: both listeners go
 * back to the blue revision at once. Alarms in ALARM roll back too when configured to.
 */
final class TrafficShifting {

    static final Duration DEFAULT_CALLBACK_DELAY = Duration.ofSeconds(30);
    /** How often ECS looks at the deployment's alarms while the deployment is ongoing. */
    static final Duration ALARM_CHECK = Duration.ofMinutes(1);

    private final Simulation simulation;
    private final ServiceRollout rollouts;

    TrafficShifting(Simulation simulation, ServiceRollout rollouts) {
        this.simulation = simulation;
        this.rollouts = rollouts;
    }

    static List<DeploymentStrategy.LifecycleHook> hooksAt(TrafficShift shift, String stage) {
        return shift.strategy.lifecycleHooks().stream().filter(h -> h.lifecycleStages().contains(stage)).toList();
    }

    /** Starts the stages of {@code serviceDeployment}, whose green revision was just launched. */
    void begin(EcsService service, ServiceDeployment serviceDeployment, Deployment blue, Deployment green, Instant at) {
        TrafficShift shift = new TrafficShift(service, serviceDeployment, blue, green, service.strategy);
        service.shift = shift;
        serviceDeployment.shift = shift;
        List<String> stages = new ArrayList<>();
        // "RECONCILE_SERVICE: only happens when you start a new service deployment with more than
        // 1 service revision in an ACTIVE state."
        if (service.deployments.size() > 2) {
            stages.add("RECONCILE_SERVICE");
        }
        stages.addAll(List.of("PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT",
                "POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME",
                "CLEAN_UP"));
        enter(shift, stages, 0, at);
        if (shift.strategy.alarmsEnabled() && !shift.strategy.alarmNames().isEmpty()) {
            simulation.schedule.at(at.plus(ALARM_CHECK), when -> checkAlarms(shift, when));
        }
    }

    private void enter(TrafficShift shift, List<String> stages, int index, Instant at) {
        if (!shift.active || shift.rollingBack) {
            return;
        }
        String stage = stages.get(index);
        ServiceDeployment deployment = shift.serviceDeployment;
        deployment.lifecycleStage = stage;
        deployment.updatedAt = at;
        shift.service.record(at, "(service deployment " + lastSegment(deployment.arn) + ") lifecycle stage " + stage + ".");
        Consumer<Instant> next = when -> enter(shift, stages, index + 1, when);
        switch (stage) {
            case "SCALE_UP" -> {
                // Green's tasks were launched with the deployment; the stage ends when they are
                // RUNNING. Tasks that cannot start never end it (the circuit breaker may).
                if (!shift.green.tasksFailToStart || shift.green.desiredCount == 0) {
                    Instant running = shift.green.createdAt.plus(simulation.timing.taskStart());
                    simulation.schedule.at(running.isAfter(at) ? running : at, next);
                }
            }
            case "TEST_TRAFFIC_SHIFT" -> {
                shift.testPercent = 100;
                runHooks(shift, stage, 0, at, next);
            }
            case "PRODUCTION_TRAFFIC_SHIFT" -> productionStep(shift, productionSteps(shift.strategy), 0, at, next);
            case "BAKE_TIME" -> simulation.schedule.at(at.plus(Duration.ofMinutes(shift.strategy.bakeTimeInMinutes())),
                    next);
            case "CLEAN_UP" -> complete(shift, at);
            default -> runHooks(shift, stage, 0, at, next);
        }
    }

    /** Green's production share after each step of PRODUCTION_TRAFFIC_SHIFT. */
    static List<Double> productionSteps(DeploymentStrategy strategy) {
        List<Double> steps = new ArrayList<>();
        switch (strategy.strategy()) {
            case "CANARY" -> {
                steps.add(strategy.canaryPercent());
                if (strategy.canaryPercent() < 100.0) {
                    steps.add(100.0);
                }
            }
            case "LINEAR" -> {
                // Whole tenths of a percent, so 3 × 33.3 does not leave 0.1 % behind by rounding.
                int step = (int) Math.round(strategy.stepPercent() * 10);
                for (int share = step; share < 1000; share += step) {
                    steps.add(share / 10.0);
                }
                steps.add(100.0);
            }
            default -> steps.add(100.0);
        }
        return steps;
    }

    private void productionStep(TrafficShift shift, List<Double> steps, int index, Instant at, Consumer<Instant> then) {
        if (!shift.active || shift.rollingBack) {
            return;
        }
        shift.productionPercent = steps.get(index);
        shift.serviceDeployment.updatedAt = at;
        shift.service.record(at, "(service deployment " + lastSegment(shift.serviceDeployment.arn) + ") "
                + format(shift.productionPercent) + "% of production traffic on the new revision.");
        boolean last = index == steps.size() - 1;
        // Hooks of PRODUCTION_TRAFFIC_SHIFT run at each step; the step's bake time follows them
        // ("This bake time is not applied after reaching 100 percent traffic").
        runHooks(shift, "PRODUCTION_TRAFFIC_SHIFT", 0, at, answered -> {
            if (last) {
                then.accept(answered);
                return;
            }
            int bake = shift.strategy.strategy().equals("CANARY") ? shift.strategy.canaryBakeTimeInMinutes()
                    : shift.strategy.stepBakeTimeInMinutes();
            simulation.schedule.at(answered.plus(Duration.ofMinutes(bake)),
                    when -> productionStep(shift, steps, index + 1, when, then));
        });
    }

    private void runHooks(TrafficShift shift, String stage, int hookIndex, Instant at, Consumer<Instant> then) {
        List<DeploymentStrategy.LifecycleHook> hooks = hooksAt(shift, stage);
        if (hookIndex >= hooks.size()) {
            then.accept(at);
            return;
        }
        JsonNode details = hooks.get(hookIndex).hookDetails();
        HookCall call = new HookCall(shift, stage, hookIndex, UUID.randomUUID().toString(),
                details == null ? null : details.deepCopy(), at, then, shift.rollingBack);
        // Through the schedule, so whoever observes ECS when work is due (onScheduled) comes to invoke it.
        simulation.schedule.at(at, when -> simulation.hookCalls.add(call));
    }

    /** The payload ECS sends a hook ("Lifecycle payloads", deployment-lifecycle-hooks). */
    static ObjectNode payload(HookCall call) {
        TrafficShift shift = call.shift();
        ObjectNode payload = Simulation.JSON.createObjectNode();
        ObjectNode details = payload.putObject("executionDetails")
                .put("serviceArn", shift.service.arn)
                .put("targetServiceRevisionArn", shift.green.serviceRevisionArn);
        weights(details.putObject("testTrafficWeights"), shift, shift.testPercent);
        weights(details.putObject("productionTrafficWeights"), shift, shift.productionPercent);
        payload.put("executionId", call.executionId())
                .put("lifecycleStage", call.stage())
                .put("resourceArn", shift.serviceDeployment.arn);
        if (call.hookDetails() != null) {
            payload.set("hookDetails", call.hookDetails().deepCopy());
        }
        return payload;
    }

    private static void weights(ObjectNode json, TrafficShift shift, double greenPercent) {
        json.put(shift.blue.serviceRevisionArn, 100.0 - greenPercent);
        json.put(shift.green.serviceRevisionArn, greenPercent);
    }

    /**
     * Applies what a hook answered (or why it could not answer: {@code failure}) at the instant the
     * call was due. SUCCEEDED → the next hook or stage; IN_PROGRESS → invoked again after
     * callBackDelay; anything else → rollback (or, during a rollback, ROLLBACK_FAILED).
     */
    void answered(HookCall call, JsonNode answer, String failure) {
        TrafficShift shift = call.shift();
        // A call made before a rollback began (an alarm can start one while a hook is due) no longer counts.
        if (!call.current()) {
            return;
        }
        boolean duringRollback = call.rollback();
        Instant at = call.due();
        String status = answer == null ? null : answer.path("hookStatus").asText(null);
        String hook = call.hook().hookTargetArn();
        shift.service.hookAnswers.addLast(new HookAnswerRecord(shift.serviceDeployment.arn, call.stage(), at,
                shift.productionPercent, shift.testPercent, status, failure));
        while (shift.service.hookAnswers.size() > EcsService.HOOK_ANSWERS_KEPT) {
            shift.service.hookAnswers.removeFirst();
        }
        if ("SUCCEEDED".equals(status)) {
            runHooks(shift, call.stage(), call.hookIndex() + 1, at, call.then());
            return;
        }
        if ("IN_PROGRESS".equals(status)) {
            long delay = answer.path("callBackDelay").canConvertToLong() && answer.get("callBackDelay").asLong() >= 0
                    ? answer.get("callBackDelay").asLong() : DEFAULT_CALLBACK_DELAY.toSeconds();
            // "Return hookDetails with the IN_PROGRESS hook status. Amazon ECS passes this data back
            // to your function on the next invocation."
            JsonNode details = answer.hasNonNull("hookDetails") ? answer.get("hookDetails") : call.hookDetails();
            simulation.schedule.at(at.plus(Duration.ofSeconds(delay)), when -> {
                if (call.current()) {
                    simulation.hookCalls.add(new HookCall(shift, call.stage(), call.hookIndex(), call.executionId(),
                            details == null ? null : details.deepCopy(), when, call.then(), duringRollback));
                }
            });
            return;
        }
        String reason = failure != null
                ? "Lifecycle hook " + hook + " failed at " + call.stage() + ": " + failure
                : "FAILED".equals(status) ? "Lifecycle hook " + hook + " returned FAILED at " + call.stage() + "."
                : "Lifecycle hook " + hook + " returned no valid hookStatus at " + call.stage() + ".";
        if (duringRollback) {
            rollbackFailed(shift, reason, at);
        } else {
            rollBack(shift, reason, at);
        }
    }

    private void checkAlarms(TrafficShift shift, Instant at) {
        if (!shift.active || shift.rollingBack) {
            return;
        }
        List<String> inAlarm = shift.strategy.alarmNames().stream()
                .filter(name -> "ALARM".equals(simulation.alarmState(name))).toList();
        if (inAlarm.isEmpty()) {
            simulation.schedule.at(at.plus(ALARM_CHECK), when -> checkAlarms(shift, when));
            return;
        }
        shift.serviceDeployment.triggeredAlarms.addAll(inAlarm);
        String reason = "ECS deployment alarms: " + String.join(", ", inAlarm) + " in ALARM.";
        if (shift.strategy.alarmsRollback()) {
            rollBack(shift, reason, at);
        } else {
            stop(shift, reason, at);
        }
    }

    /**
     * Rolls {@code shift} back at {@code at}: production and test traffic go back to blue at once,
     * then the rollback's hooks (TEST_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT: "When a rollback
     * occurs, Amazon ECS runs lifecycle hooks for the following lifecycle stages") run, then green's
     * tasks stop. A rollback that cannot restore blue ends ROLLBACK_FAILED.
     */
    void rollBack(TrafficShift shift, String reason, Instant at) {
        if (!shift.active || shift.rollingBack) {
            return;
        }
        EcsService service = shift.service;
        ServiceDeployment deployment = shift.serviceDeployment;
        shift.rollingBack = true;
        shift.green.rolloutState = "FAILED";
        shift.green.rolloutStateReason = reason;
        shift.green.updatedAt = at;
        deployment.status = "ROLLBACK_IN_PROGRESS";
        deployment.rollbackStartedAt = at;
        deployment.rollbackReason = reason;
        deployment.rollbackRevisionArn = shift.blue.serviceRevisionArn;
        deployment.updatedAt = at;
        service.record(at, "(deployment " + shift.green.id + ") deployment failed: " + reason);
        simulation.emit(simulation.events.deploymentStateChange(service, shift.green, "SERVICE_DEPLOYMENT_FAILED",
                reason, at));
        if (service.rollbackFault != null) {
            String fault = service.rollbackFault;
            service.rollbackFault = null;
            rollbackFailed(shift, fault, at);
            return;
        }
        shift.productionPercent = 0;
        shift.testPercent = 0;
        service.record(at, "rolling back to deployment " + shift.blue.id + ".");
        simulation.emit(simulation.events.deploymentStateChange(service, shift.blue,
                "SERVICE_DEPLOYMENT_IN_PROGRESS", "ECS deployment " + shift.green.id
                        + " rolling back to deploymentId " + shift.blue.id + ".", at));
        deployment.lifecycleStage = "TEST_TRAFFIC_SHIFT";
        runHooks(shift, "TEST_TRAFFIC_SHIFT", 0, at, afterTest -> {
            deployment.lifecycleStage = "PRODUCTION_TRAFFIC_SHIFT";
            runHooks(shift, "PRODUCTION_TRAFFIC_SHIFT", 0, afterTest, done -> rolledBack(shift, done));
        });
    }

    private void rolledBack(TrafficShift shift, Instant at) {
        EcsService service = shift.service;
        ServiceDeployment deployment = shift.serviceDeployment;
        shift.active = false;
        rollouts.retire(service, shift.green, at);
        shift.blue.status = "PRIMARY";
        shift.blue.updatedAt = at;
        if (!shift.blue.completed()) {
            // A blue revision still starting when the deployment began is the one serving now.
            shift.blue.rolloutState = "COMPLETED";
            shift.blue.rolloutStateReason = "ECS deployment " + shift.blue.id + " completed.";
            service.lastCompleted = shift.blue;
        }
        service.taskDefinition = shift.blue.taskDefinition;
        service.shift = null;
        deployment.lifecycleStage = "CLEAN_UP";
        deployment.status = "ROLLBACK_SUCCESSFUL";
        deployment.finishedAt = at;
        deployment.updatedAt = at;
        service.record(at, "(deployment " + shift.blue.id + ") rollback completed.");
        simulation.emit(simulation.events.deploymentStateChange(service, shift.blue, "SERVICE_DEPLOYMENT_COMPLETED",
                "ECS deployment " + shift.blue.id + " completed.", at));
    }

    /** The old revision could not be restored: traffic stays where it was, the deployment is over. */
    private void rollbackFailed(TrafficShift shift, String reason, Instant at) {
        ServiceDeployment deployment = shift.serviceDeployment;
        shift.active = false;
        deployment.status = "ROLLBACK_FAILED";
        deployment.statusReason = "Rollback failed: " + reason;
        deployment.finishedAt = at;
        deployment.updatedAt = at;
        shift.service.record(at, "(service deployment " + lastSegment(deployment.arn) + ") rollback failed: " + reason);
        simulation.emit(simulation.events.deploymentStateChange(shift.service, shift.blue,
                "SERVICE_DEPLOYMENT_FAILED", deployment.statusReason, at));
    }

    /** Alarms without rollback: the deployment fails and stops where it is. */
    private void stop(TrafficShift shift, String reason, Instant at) {
        ServiceDeployment deployment = shift.serviceDeployment;
        shift.active = false;
        shift.green.rolloutState = "FAILED";
        shift.green.rolloutStateReason = reason;
        deployment.status = "STOPPED";
        deployment.statusReason = reason;
        deployment.stoppedAt = at;
        deployment.finishedAt = at;
        deployment.updatedAt = at;
        simulation.emit(simulation.events.deploymentStateChange(shift.service, shift.green,
                "SERVICE_DEPLOYMENT_FAILED", reason, at));
    }

    /** A newer service deployment started: this one stops, and traffic is blue's again. */
    void supersede(TrafficShift shift) {
        shift.active = false;
        if (shift.service.shift == shift) {
            shift.service.shift = null;
        }
    }

    private void complete(TrafficShift shift, Instant at) {
        EcsService service = shift.service;
        shift.active = false;
        service.shift = null;
        rollouts.finish(service, shift.green, at);
        service.record(at, "(deployment " + shift.green.id + ") deployment completed.");
        service.record(at, "has reached a steady state.");
        simulation.emit(simulation.events.deploymentStateChange(service, shift.green,
                "SERVICE_DEPLOYMENT_COMPLETED", "ECS deployment " + shift.green.id + " completed.", at));
        simulation.emit(simulation.events.serviceAction(service, "SERVICE_STEADY_STATE", at));
    }

    private static String format(double percent) {
        return percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent);
    }

    private static String lastSegment(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }
}
