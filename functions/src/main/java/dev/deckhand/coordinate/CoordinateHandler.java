package dev.deckhand.coordinate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.json.JsonStepHandler;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** coordinate: {@code claim}, {@code acquireLock} and {@code releaseLock}, as the definition names them. */
public final class CoordinateHandler extends JsonStepHandler {

    private final CoordinationService service;

    /** Used by the Lambda runtime. */
    public CoordinateHandler() {
        this(Environment.coordinationService());
    }

    public CoordinateHandler(CoordinationService service) {
        this.service = service;
    }


    @Override
    protected Object step(JsonNode event) {
        DeploymentTarget target = JsonHandler.field(event, "target", DeploymentTarget.class);
        String execution = event.path("executionArn").asText("");
        if (execution.isEmpty()) {
            throw new InvalidInputException("executionArn: required");
        }
        String action = event.path("action").asText("");
        switch (action) {
            case "claim":
                return service.claim(target, execution, startedAt(event));
            case "acquireLock":
                return service.acquire(target, execution, startedAt(event));
            case "releaseLock":
                service.release(target, execution);
                return Map.of("lock", "RELEASED");
            default:
                throw new InvalidInputException("action: '" + action + "' is not claim, acquireLock or releaseLock");
        }
    }

    private static Instant startedAt(JsonNode event) {
        try {
            return Instant.parse(event.path("startedAt").asText(""));
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("startedAt: not an ISO-8601 instant");
        }
    }
}
