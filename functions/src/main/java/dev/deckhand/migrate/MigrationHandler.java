package dev.deckhand.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.json.JsonStepHandler;
import dev.deckhand.wait.WaitRouter;
import java.util.function.Function;

/** run-migration: {@code start} and {@code check}, as the definition names them. */
public final class MigrationHandler extends JsonStepHandler {

    private final Function<DeploymentTarget, MigrationService> services;
    private final WaitRouter waits;

    /** Used by the Lambda runtime. */
    public MigrationHandler() {
        this(Environment.wiring().migrationServices(), Environment.wiring().waitRouter());
    }

    /**
     * One service per target: a cross-account target's acts through its deployment role; the
     * waits are Deckhand's own.
     */
    public MigrationHandler(Function<DeploymentTarget, MigrationService> services, WaitRouter waits) {
        this.services = services;
        this.waits = waits;
    }


    @Override
    protected Object step(JsonNode event) {
        MigrationInput input = MigrationInput.ACTIONS.parse(event);
        return input.runWith(services.apply(input.target()), waits);
    }
}
