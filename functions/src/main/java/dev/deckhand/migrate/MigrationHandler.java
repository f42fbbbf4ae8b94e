package dev.deckhand.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.deploy.Release;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.json.JsonStepHandler;

/** run-migration: {@code start} and {@code check}, as the definition names them. */
public final class MigrationHandler extends JsonStepHandler {

    private final MigrationService service;

    /** Used by the Lambda runtime. */
    public MigrationHandler() {
        this(Environment.migrationService());
    }

    public MigrationHandler(MigrationService service) {
        this.service = service;
    }


    @Override
    protected Object step(JsonNode event) {
        DeploymentTarget target = JsonHandler.field(event, "target", DeploymentTarget.class);
        if (target.migration() == null) {
            throw new InvalidInputException("target.migration: this environment has no migration");
        }
        String action = event.path("action").asText("");
        switch (action) {
            case "start":
                return service.start(target, JsonHandler.field(event, "release", Release.class),
                        event.path("attempt").asInt(1));
            case "check":
                return service.check(target, JsonHandler.field(event, "migration", MigrationRun.class));
            default:
                throw new InvalidInputException("action: '" + action + "' is not start or check");
        }
    }

}
