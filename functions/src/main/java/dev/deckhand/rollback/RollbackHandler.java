package dev.deckhand.rollback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.json.JsonStepHandler;

/** rollback: points the service back at the last verified revision. */
public final class RollbackHandler extends JsonStepHandler {

    private final RollbackService service;

    /** Used by the Lambda runtime. */
    public RollbackHandler() {
        this(Environment.rollbackService());
    }

    public RollbackHandler(RollbackService service) {
        this.service = service;
    }


    @Override
    protected Object step(JsonNode event) {
        return service.start(JsonHandler.field(event, "target", DeploymentTarget.class));
    }
}
