package dev.deckhand.rollback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.json.JsonStepHandler;
import java.util.function.Function;

/** rollback: points the service back at the last verified revision. */
public final class RollbackHandler extends JsonStepHandler {

    private final Function<DeploymentTarget, RollbackService> services;

    /** Used by the Lambda runtime. */
    public RollbackHandler() {
        this(Environment.wiring().rollbackServices());
    }

    public RollbackHandler(RollbackService service) {
        this(target -> service);
    }

    /** One service per target: a cross-account target's acts through its deployment role. */
    public RollbackHandler(Function<DeploymentTarget, RollbackService> services) {
        this.services = services;
    }


    @Override
    protected Object step(JsonNode event) {
        DeploymentTarget target = JsonHandler.field(event, "target", DeploymentTarget.class);
        return services.apply(target).start(target);
    }
}
