package dev.deckhand.coordinate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.json.JsonStepHandler;

/** coordinate: {@code claim}, {@code acquireLock} and {@code releaseLock}, as the definition names them. */
public final class CoordinateHandler extends JsonStepHandler {

    private final CoordinationService service;

    /** Used by the Lambda runtime. */
    public CoordinateHandler() {
        this(Environment.wiring().coordinationService());
    }

    public CoordinateHandler(CoordinationService service) {
        this.service = service;
    }


    @Override
    protected Object step(JsonNode event) {
        return CoordinateInput.ACTIONS.parse(event).runWith(service);
    }
}
