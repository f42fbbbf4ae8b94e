package dev.deckhand.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.coordinate.CoordinationService;
import dev.deckhand.errors.LockNotReleasedException;
import dev.deckhand.json.JsonStepHandler;
import dev.deckhand.notify.OutcomeInput;

/**
 * record: writes an attempt's outcome to the history, and marks a successful release verified.
 * Asked to ({@code releaseLock: true}, "Record the verified release and release the lock"), it
 * then releases the environment's lock, only once the history is written, so the next deployment
 * never starts from a history without this one.
 */
public final class RecordHandler extends JsonStepHandler {

    private final RecordService service;
    private final CoordinationService locks;

    /** Used by the Lambda runtime. */
    public RecordHandler() {
        this(Environment.wiring().recordService(), Environment.wiring().coordinationService());
    }

    public RecordHandler(RecordService service, CoordinationService locks) {
        this.service = service;
        this.locks = locks;
    }

    @Override
    protected Object step(JsonNode event) {
        OutcomeInput input = OutcomeInput.parse(event);
        RecordService.Recorded recorded = service.record(input);
        if (input.releaseLock()) {
            try {
                locks.release(input.target(), input.executionArn());
            } catch (RuntimeException e) {
                throw new LockNotReleasedException("recorded " + recorded.outcome() + ", but the lock was not released: "
                        + e.getMessage(), e);
            }
        }
        return recorded;
    }
}
