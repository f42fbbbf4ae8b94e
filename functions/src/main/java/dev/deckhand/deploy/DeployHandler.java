package dev.deckhand.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.json.JsonStepHandler;

/** deploy-ecs: {@code prepare}, {@code update} and {@code checkRollout}, as the definition names them. */
public final class DeployHandler extends JsonStepHandler {

    private final DeployService service;

    /** Used by the Lambda runtime. */
    public DeployHandler() {
        this(Environment.deployService());
    }

    public DeployHandler(DeployService service) {
        this.service = service;
    }


    @Override
    protected Object step(JsonNode event) {
        DeploymentTarget target = JsonHandler.field(event, "target", DeploymentTarget.class);
        String action = event.path("action").asText("");
        switch (action) {
            case "prepare":
                return service.prepare(target);
            case "update":
                Release release = JsonHandler.field(event, "release", Release.class);
                return service.update(target, release.taskDefinition(), target.image().uri());
            case "checkRollout":
                return service.check(target, JsonHandler.field(event, "rollout", Rollout.class));
            default:
                throw new InvalidInputException("action: '" + action + "' is not prepare, update or checkRollout");
        }
    }
}
