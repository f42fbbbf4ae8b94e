package dev.deckhand.rollback;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.resolve.Resolution.DeploymentTarget;
import java.io.InputStream;
import java.io.OutputStream;

/** rollback: points the service back at the last verified revision. */
public final class RollbackHandler implements RequestStreamHandler {

    private final RollbackService service;

    /** Used by the Lambda runtime. */
    public RollbackHandler() {
        this(Environment.rollbackService());
    }

    public RollbackHandler(RollbackService service) {
        this.service = service;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        JsonHandler.handle(input, output, context, this::step);
    }

    Object step(JsonNode event) {
        return service.start(JsonHandler.field(event, "target", DeploymentTarget.class));
    }
}
