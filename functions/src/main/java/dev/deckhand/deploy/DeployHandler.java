package dev.deckhand.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
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
        return DeployInput.ACTIONS.parse(event).runWith(service);
    }
}
