package dev.deckhand.wait;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deploy.Rollout;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.json.StepInputs;
import dev.deckhand.migrate.MigrationRun;

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
    record AwaitRollout(Rollout rollout, String taskToken, String executionArn) implements WaitInput {
        static AwaitRollout parse(JsonNode event) {
            return new AwaitRollout(JsonHandler.field(event, "rollout", Rollout.class), token(event),
                    event.path("executionArn").asText(""));
        }

        @Override
        public WaitRouter.Routed runWith(WaitRouter router) {
            return router.await(WaitKey.rollout(rollout.ecsDeploymentId()), taskToken, executionArn);
        }
    }

    /** Waits for the migration task to stop. */
    record AwaitMigration(MigrationRun migration, String taskToken, String executionArn) implements WaitInput {
        static AwaitMigration parse(JsonNode event) {
            return new AwaitMigration(JsonHandler.field(event, "migration", MigrationRun.class), token(event),
                    event.path("executionArn").asText(""));
        }

        @Override
        public WaitRouter.Routed runWith(WaitRouter router) {
            return router.await(WaitKey.task(migration.taskArn()), taskToken, executionArn);
        }
    }

    /**
     * An ECS event: a deployment's state change names its {@code deploymentId}, a task's its
     * {@code taskArn} (Amazon ECS developer guide, "Amazon ECS service deployment state change
     * events" and "Amazon ECS task state change events").
     */
    record EcsEvent(String key, String eventName) implements WaitInput {
        static EcsEvent parse(JsonNode event) {
            String type = event.path("detail-type").asText();
            JsonNode detail = event.path("detail");
            return switch (type) {
                case DEPLOYMENT_STATE_CHANGE -> new EcsEvent(WaitKey.rollout(detail.path("deploymentId").asText(null)),
                        detail.path("eventName").asText(""));
                case TASK_STATE_CHANGE -> new EcsEvent(WaitKey.task(detail.path("taskArn").asText(null)),
                        "TASK_" + detail.path("lastStatus").asText(""));
                default -> throw new InvalidInputException("detail-type: '" + type + "' is not "
                        + DEPLOYMENT_STATE_CHANGE + " or " + TASK_STATE_CHANGE);
            };
        }

        @Override
        public WaitRouter.Routed runWith(WaitRouter router) {
            return router.onEvent(key, eventName);
        }
    }

    private static String token(JsonNode event) {
        String token = event.path("taskToken").asText("");
        if (token.isEmpty()) {
            throw new InvalidInputException("taskToken: missing (the state must be a .waitForTaskToken task)");
        }
        return token;
    }
}
