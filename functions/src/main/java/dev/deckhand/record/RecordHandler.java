package dev.deckhand.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.json.JsonStepHandler;

/** record: writes an attempt's outcome to the history, and marks a successful release verified. */
public final class RecordHandler extends JsonStepHandler {

    private final RecordService service;

    /** Used by the Lambda runtime. */
    public RecordHandler() {
        this(Environment.wiring().recordService());
    }

    public RecordHandler(RecordService service) {
        this.service = service;
    }

    @Override
    protected Object step(JsonNode event) {
        return service.record(event);
    }
}
