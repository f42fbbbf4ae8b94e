package dev.deckhand.notify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.json.JsonStepHandler;

/** notify: reports an outcome on SNS, EventBridge and Slack. */
public final class NotifyHandler extends JsonStepHandler {

    private final NotifyService service;

    /** Used by the Lambda runtime. */
    public NotifyHandler() {
        this(Environment.wiring().notifyService());
    }

    public NotifyHandler(NotifyService service) {
        this.service = service;
    }

    @Override
    protected Object step(JsonNode event) {
        return service.report(OutcomeInput.parse(event));
    }
}
