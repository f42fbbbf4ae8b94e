package dev.deckhand.wait;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.json.JsonStepHandler;

/**
 * wait-router: the deployer's waiting states hand it their task token, and the rules on ECS's
 * deployment and task state changes hand it ECS's events; it answers the token an event concerns
 * with the verdict judged from the event.
 */
public final class WaitRouterHandler extends JsonStepHandler {

    private final WaitRouter router;

    /** Used by the Lambda runtime. */
    public WaitRouterHandler() {
        this(Environment.wiring().waitRouter());
    }

    public WaitRouterHandler(WaitRouter router) {
        this.router = router;
    }

    @Override
    protected Object step(JsonNode event) {
        return WaitInput.parse(event).runWith(router);
    }
}
