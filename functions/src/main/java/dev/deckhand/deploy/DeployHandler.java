package dev.deckhand.deploy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.resolve.Resolution.DeploymentTarget;
import java.io.InputStream;
import java.io.OutputStream;

/** deploy-ecs: {@code prepare}, {@code update} and {@code checkRollout}, as the definition names them. */
public final class DeployHandler implements RequestStreamHandler {

    private final DeployService service;

    /** Used by the Lambda runtime. */
    public DeployHandler() {
        this(Environment.deployService());
    }

    public DeployHandler(DeployService service) {
        this.service = service;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        JsonHandler.handle(input, output, context, this::step);
    }

    Object step(JsonNode event) {
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
