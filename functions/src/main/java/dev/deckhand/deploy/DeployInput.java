package dev.deckhand.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.json.StepInputs;
import dev.deckhand.wait.WaitKey;
import dev.deckhand.wait.WaitRouter;
import java.util.Map;

/** What the definition asks of deploy-ecs, one record per action. */
public sealed interface DeployInput {

    StepInputs<DeployInput> ACTIONS = StepInputs.<DeployInput>of("prepare", Prepare::parse)
            .or("update", Update::parse)
            .or("checkRollout", CheckRollout::parse)
            .or("checkAlarms", CheckAlarms::parse);

    /**
     * Does what the action asks of the service; the result is the step's output. {@code waits}
     * stores what a starting step waits for (Deckhand's own account, whatever the target's).
     */
    Object runWith(DeployService service, WaitRouter waits);

    /** Where the action acts (its account decides the credentials). */
    DeploymentTarget target();

    /** Checks the environment's alarm gate before anything changes. */
    record CheckAlarms(DeploymentTarget target) implements DeployInput {
        static CheckAlarms parse(JsonNode event) {
            return new CheckAlarms(targetIn(event));
        }

        @Override
        public Object runWith(DeployService service, WaitRouter waits) {
            return service.checkAlarms(target);
        }
    }

    /** Registers the revision that pins the image. */
    record Prepare(DeploymentTarget target) implements DeployInput {
        static Prepare parse(JsonNode event) {
            return new Prepare(targetIn(event));
        }

        @Override
        public Object runWith(DeployService service, WaitRouter waits) {
            return service.prepare(target);
        }
    }

    /**
     * Points the service at the prepared revision and, as a {@code .waitForTaskToken} state, stores
     * its token keyed by the new ECS deployment: ECS's final event for it answers the state.
     */
    record Update(DeploymentTarget target, Release release, String taskToken, String executionArn)
            implements DeployInput {
        static Update parse(JsonNode event) {
            return new Update(targetIn(event), JsonHandler.field(event, "release", Release.class),
                    StepInputs.required(event, "taskToken"), StepInputs.required(event, "executionArn"));
        }

        @Override
        public Object runWith(DeployService service, WaitRouter waits) {
            Rollout rollout = service.update(target, release);
            waits.await(WaitKey.rollout(rollout.ecsDeploymentId()), DeckhandJson.MAPPER.valueToTree(rollout),
                    taskToken, executionArn);
            return rollout;
        }
    }

    /**
     * One look at a rollout (the service's update or a rollback). Without {@code rollout} (the
     * heartbeat path of "Update the service", whose own result Step Functions does not keep), the
     * rollout is the one the execution's wait was stored with. The answer carries the rollout on.
     */
    record CheckRollout(DeploymentTarget target, Rollout rollout, String executionArn) implements DeployInput {
        static CheckRollout parse(JsonNode event) {
            Rollout rollout = event.hasNonNull("rollout") ? JsonHandler.field(event, "rollout", Rollout.class) : null;
            return new CheckRollout(targetIn(event), rollout,
                    rollout == null ? StepInputs.required(event, "executionArn") : event.path("executionArn").asText(""));
        }

        @Override
        public Object runWith(DeployService service, WaitRouter waits) {
            Rollout stored = executionArn.isEmpty() ? null : waits.endWaits(executionArn, WaitKey.ROLLOUT)
                    .map(started -> DeckhandJson.MAPPER.convertValue(started, Rollout.class)).orElse(null);
            Rollout watched = rollout != null ? rollout : stored;
            if (watched == null) {
                throw new InvalidInputException("rollout: none given, and execution " + executionArn + " waits for no rollout");
            }
            RolloutProgress progress = service.check(target, watched);
            return Map.of("status", progress.status(), "progress", progress.progress(), "rollout", watched);
        }
    }

    private static DeploymentTarget targetIn(JsonNode event) {
        return JsonHandler.field(event, "target", DeploymentTarget.class);
    }
}
