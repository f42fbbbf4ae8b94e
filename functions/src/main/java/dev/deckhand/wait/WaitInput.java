package dev.deckhand.wait;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.json.StepInputs;
import java.util.Set;

/**
 * What wait-router is handed: a waiting state's token (one record per {@code action}), or an
 * ECS event delivered by an EventBridge rule.
 */
public sealed interface WaitInput {

    StepInputs<WaitInput> ACTIONS = StepInputs.<WaitInput>of("awaitRollout", AwaitRollout::parse)
            .or("awaitMigration", AwaitMigration::parse);

    /** The detail types the rules deliver (ecs_service_deployment_events, ecs_task_events). */
    String DEPLOYMENT_STATE_CHANGE = "ECS Deployment State Change";
    String TASK_STATE_CHANGE = "ECS Task State Change";

    WaitRouter.Routed runWith(WaitRouter router);

    /** An EventBridge event (it has a {@code detail-type}) or a step's input. */
    static WaitInput parse(JsonNode event) {
        if (event.has("detail-type")) {
            return EcsEvent.parse(event);
        }
        return ACTIONS.parse(event);
    }

    /** Waits for ECS to finish (or fail) a service deployment: the update's or the rollback's. */
    record AwaitRollout(JsonNode rollout, String taskToken, String executionArn) implements WaitInput {
        static AwaitRollout parse(JsonNode event) {
            return new AwaitRollout(started(event, "rollout", "ecsDeploymentId"), token(event),
                    event.path("executionArn").asText(""));
        }

        @Override
        public WaitRouter.Routed runWith(WaitRouter router) {
            return router.await(WaitKey.rollout(rollout.path("ecsDeploymentId").asText()), rollout, taskToken, executionArn);
        }
    }

    /** Waits for the migration task to stop. */
    record AwaitMigration(JsonNode migration, String taskToken, String executionArn) implements WaitInput {
        static AwaitMigration parse(JsonNode event) {
            return new AwaitMigration(started(event, "migration", "taskArn"), token(event),
                    event.path("executionArn").asText(""));
        }

        @Override
        public WaitRouter.Routed runWith(WaitRouter router) {
            return router.await(WaitKey.task(migration.path("taskArn").asText()), migration, taskToken, executionArn);
        }
    }

    /**
     * An ECS event: a deployment's state change names its {@code deploymentId}, a task's its
     * {@code taskArn} (Amazon ECS developer guide, "Amazon ECS service deployment state change
     * events" and "Amazon ECS task state change events"). Only a final one (the deployment
     * COMPLETED or FAILED, the task STOPPED) ends a wait; the others are let through untouched, so
     * a late IN_PROGRESS or RUNNING can never hide the final event recorded before it.
     */
    record EcsEvent(String key, JsonNode detail, boolean isFinal) implements WaitInput {
        static EcsEvent parse(JsonNode event) {
            String type = event.path("detail-type").asText();
            JsonNode detail = event.path("detail");
            return switch (type) {
                case DEPLOYMENT_STATE_CHANGE -> new EcsEvent(WaitKey.rollout(detail.path("deploymentId").asText(null)),
                        detail, FINAL_DEPLOYMENT_EVENTS.contains(detail.path("eventName").asText()));
                case TASK_STATE_CHANGE -> new EcsEvent(WaitKey.task(detail.path("taskArn").asText(null)),
                        detail, "STOPPED".equals(detail.path("lastStatus").asText()));
                default -> throw new InvalidInputException("detail-type: '" + type + "' is not "
                        + DEPLOYMENT_STATE_CHANGE + " or " + TASK_STATE_CHANGE);
            };
        }

        @Override
        public WaitRouter.Routed runWith(WaitRouter router) {
            return isFinal ? router.onEvent(key, detail) : new WaitRouter.Routed(key, "NOT_FINAL");
        }
    }

    /** ECS service deployment state change events: the two that end a deployment. */
    Set<String> FINAL_DEPLOYMENT_EVENTS = Set.of("SERVICE_DEPLOYMENT_COMPLETED",
            "SERVICE_DEPLOYMENT_FAILED");

    private static JsonNode started(JsonNode event, String field, String id) {
        JsonNode started = event.path(field);
        if (!started.isObject() || started.path(id).asText("").isBlank()) {
            throw new InvalidInputException(field + "." + id + ": required");
        }
        return started;
    }

    private static String token(JsonNode event) {
        String token = event.path("taskToken").asText("");
        if (token.isEmpty()) {
            throw new InvalidInputException("taskToken: missing (the state must be a .waitForTaskToken task)");
        }
        return token;
    }
}
