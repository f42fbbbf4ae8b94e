package dev.deckhand.coordinate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.json.JsonStepHandler;
import dev.deckhand.wait.Waits;
import java.util.Map;
import java.util.Set;

/**
 * lock-cleanup: targeted by the rule on "Step Functions Execution Status Change" events; when a
 * deployer execution ends ABORTED, FAILED or TIMED_OUT without reporting (it was stopped, or died
 * before its own release), its lock is released so the next deployment proceeds, its attempt
 * is marked ABORTED so the deployment can be tried again, and its waits are forgotten (their
 * tokens can never be answered) rather than left to the waits table's TTL.
 */
public final class LockCleanupHandler extends JsonStepHandler {

    private static final Set<String> DEAD = Set.of("ABORTED", "FAILED", "TIMED_OUT");

    private final CoordinationService service;
    private final Waits waits;

    /** Used by the Lambda runtime. */
    public LockCleanupHandler() {
        this(Environment.wiring().coordinationService(), Environment.wiring().waits());
    }

    public LockCleanupHandler(CoordinationService service, Waits waits) {
        this.service = service;
        this.waits = waits;
    }


    @Override
    protected Object step(JsonNode event) {
        JsonNode detail = event.path("detail");
        String status = detail.path("status").asText("");
        String execution = detail.path("executionArn").asText("");
        if (!DEAD.contains(status) || execution.isEmpty()) {
            return Map.of("released", false, "reason", "execution status " + status + " needs no cleanup");
        }
        CoordinationService.Cleanup cleanup = service.releaseDeadExecution(execution);
        int forgotten = waits.forgetExecution(execution);
        return Map.of("released", cleanup.lockReleased(), "executionArn", execution,
                "abortedDeployment", cleanup.abortedDeployment() == null ? "" : cleanup.abortedDeployment(),
                "forgottenWaits", forgotten);
    }
}
