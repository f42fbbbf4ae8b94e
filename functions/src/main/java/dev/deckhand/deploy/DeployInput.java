package dev.deckhand.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.json.StepInputs;

/** What the definition asks of deploy-ecs, one record per action. */
public sealed interface DeployInput {

    StepInputs<DeployInput> ACTIONS = StepInputs.<DeployInput>of("prepare", Prepare::parse)
            .or("update", Update::parse)
            .or("checkRollout", CheckRollout::parse)
            .or("checkAlarms", CheckAlarms::parse);

    /** Does what the action asks of the service; the result is the step's output. */
    Object runWith(DeployService service);

    /** Where the action acts (its account decides the credentials). */
    DeploymentTarget target();

    /** Checks the environment's alarm gate before anything changes. */
    record CheckAlarms(DeploymentTarget target) implements DeployInput {
        static CheckAlarms parse(JsonNode event) {
            return new CheckAlarms(targetIn(event));
        }

        @Override
        public Object runWith(DeployService service) {
            return service.checkAlarms(target);
        }
    }

    /** Registers the revision that pins the image. */
    record Prepare(DeploymentTarget target) implements DeployInput {
        static Prepare parse(JsonNode event) {
            return new Prepare(targetIn(event));
        }

        @Override
        public Object runWith(DeployService service) {
            return service.prepare(target);
        }
    }

    /** Points the service at the prepared revision. */
    record Update(DeploymentTarget target, Release release) implements DeployInput {
        static Update parse(JsonNode event) {
            return new Update(targetIn(event), JsonHandler.field(event, "release", Release.class));
        }

        @Override
        public Object runWith(DeployService service) {
            return service.update(target, release);
        }
    }

    /** One look at a rollout (the service's update or a rollback). */
    record CheckRollout(DeploymentTarget target, Rollout rollout) implements DeployInput {
        static CheckRollout parse(JsonNode event) {
            return new CheckRollout(targetIn(event), JsonHandler.field(event, "rollout", Rollout.class));
        }

        @Override
        public Object runWith(DeployService service) {
            return service.check(target, rollout);
        }
    }

    private static DeploymentTarget targetIn(JsonNode event) {
        return JsonHandler.field(event, "target", DeploymentTarget.class);
    }
}
