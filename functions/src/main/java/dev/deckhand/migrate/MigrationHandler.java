package dev.deckhand.migrate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.deploy.Release;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.resolve.Resolution.DeploymentTarget;
import java.io.InputStream;
import java.io.OutputStream;

/** run-migration: {@code start} and {@code check}, as the definition names them. */
public final class MigrationHandler implements RequestStreamHandler {

    private final MigrationService service;

    /** Used by the Lambda runtime. */
    public MigrationHandler() {
        this(Environment.migrationService());
    }

    public MigrationHandler(MigrationService service) {
        this.service = service;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        JsonHandler.handle(input, output, context, this::step);
    }

    Object step(JsonNode event) {
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
