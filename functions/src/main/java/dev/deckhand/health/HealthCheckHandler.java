package dev.deckhand.health;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.json.JsonStepHandler;

/** health-check: one probe round against the target's health URL. */
public final class HealthCheckHandler extends JsonStepHandler {

    private final HealthVerification verification;

    /** Used by the Lambda runtime: real HTTP, real pauses between the probes of a round. */
    public HealthCheckHandler() {
        this(Environment.wiring().healthVerification());
    }

    public HealthCheckHandler(HealthVerification verification) {
        this.verification = verification;
    }


    @Override
    protected Object step(JsonNode event) {
        DeploymentTarget target = JsonHandler.field(event, "target", DeploymentTarget.class);
        if (target.healthCheck() == null) {
            throw new InvalidInputException("target.healthCheck: this environment has no health check");
        }
        String expected = event.path("expectedImage").asText(target.image().uri());
        try {
            return verification.verify(target.healthCheck(), expected, Math.max(1, event.path("round").asInt(1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between health probes", e);
        }
    }
}
