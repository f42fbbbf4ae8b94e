package dev.deckhand.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.json.JsonStepHandler;
import dev.deckhand.wait.WaitRouter;
import java.util.function.Function;

/** deploy-ecs: {@code prepare}, {@code update} and {@code checkRollout}, as the definition names them. */
public final class DeployHandler extends JsonStepHandler {

    private final Function<DeploymentTarget, DeployService> services;
    private final WaitRouter waits;

    /** Used by the Lambda runtime. */
    public DeployHandler() {
        this(Environment.wiring().deployServices(), Environment.wiring().waitRouter());
    }

    /**
     * One service per target: a cross-account target's acts through its deployment role; the
     * waits are Deckhand's own.
     */
    public DeployHandler(Function<DeploymentTarget, DeployService> services, WaitRouter waits) {
        this.services = services;
        this.waits = waits;
    }

    @Override
    protected Object step(JsonNode event) {
        DeployInput input = DeployInput.ACTIONS.parse(event);
        return input.runWith(services.apply(input.target()), waits);
    }
}
