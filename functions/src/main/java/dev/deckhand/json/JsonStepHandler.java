package dev.deckhand.json;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A handler of one deployer step: JSON in, one call, JSON out (see {@link JsonHandler}). Subclasses
 * only say what the step does with its event.
 */
public abstract class JsonStepHandler implements RequestStreamHandler {

    protected JsonStepHandler() {
        SnapStartPriming.register();
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) {
        JsonHandler.handle(input, output, context, this::step);
    }

    /** The step: the event the state machine passed, the result it gets back. */
    protected abstract Object step(JsonNode event);
}
