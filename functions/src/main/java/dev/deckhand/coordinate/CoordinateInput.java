package dev.deckhand.coordinate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.json.StepInputs;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** What the definition asks of coordinate, one record per action. */
public sealed interface CoordinateInput {

    StepInputs<CoordinateInput> ACTIONS = StepInputs.<CoordinateInput>of("claimAndLock", ClaimAndLock::parse)
            .or("acquireLock", AcquireLock::parse)
            .or("awaitLock", AwaitLock::parse)
            .or("releaseLock", ReleaseLock::parse)
            .or("awaitApproval", AwaitApproval::parse);

    /** Does what the action asks of the service; the result is the step's output. */
    Object runWith(CoordinationService service);

    /**
     * Claims the deployment for this execution (the first step after resolving it) and, unless it
     * is a duplicate, takes the environment's lock in the same step.
     */
    record ClaimAndLock(DeploymentTarget target, String executionArn, Instant startedAt) implements CoordinateInput {
        static ClaimAndLock parse(JsonNode event) {
            return new ClaimAndLock(targetIn(event), executionArnIn(event), startedAtIn(event));
        }

        @Override
        public Object runWith(CoordinationService service) {
            return service.claimAndLock(target, executionArn, startedAt);
        }
    }

    /**
     * Takes the environment's lock, or says who holds it; {@code requestedAt} orders the queue
     * (the claim's answer; an execution started before the claim answered it is ordered by its start).
     */
    record AcquireLock(DeploymentTarget target, String executionArn, Instant requestedAt) implements CoordinateInput {
        static AcquireLock parse(JsonNode event) {
            return new AcquireLock(targetIn(event), executionArnIn(event),
                    event.hasNonNull("requestedAt") ? instantIn(event, "requestedAt") : startedAtIn(event));
        }

        @Override
        public Object runWith(CoordinationService service) {
            return service.acquire(target, executionArn, requestedAt);
        }
    }

    /** Waits for the lock by task token: woken when the holder releases it or a newer request supersedes this one. */
    record AwaitLock(DeploymentTarget target, String executionArn, Instant requestedAt, String taskToken)
            implements CoordinateInput {
        static AwaitLock parse(JsonNode event) {
            AcquireLock lock = AcquireLock.parse(event);
            String token = event.path("taskToken").asText("");
            if (token.isEmpty()) {
                throw new InvalidInputException("taskToken: missing (the state must be a .waitForTaskToken task)");
            }
            return new AwaitLock(lock.target(), lock.executionArn(), lock.requestedAt(), token);
        }

        @Override
        public Object runWith(CoordinationService service) {
            return service.awaitLock(target, executionArn, requestedAt, taskToken);
        }
    }

    /** Waits for a person's answer by task token, on the lock this execution holds ("Wait for approval"). */
    record AwaitApproval(DeploymentTarget target, String executionArn, String taskToken) implements CoordinateInput {
        static AwaitApproval parse(JsonNode event) {
            String token = event.path("taskToken").asText("");
            if (token.isEmpty()) {
                throw new InvalidInputException("taskToken: missing (the state must be a .waitForTaskToken task)");
            }
            return new AwaitApproval(targetIn(event), executionArnIn(event), token);
        }

        @Override
        public Object runWith(CoordinationService service) {
            return service.awaitApproval(target, executionArn, taskToken);
        }
    }

    /** Releases the environment's lock if this execution holds it. */
    record ReleaseLock(DeploymentTarget target, String executionArn) implements CoordinateInput {
        static ReleaseLock parse(JsonNode event) {
            return new ReleaseLock(targetIn(event), executionArnIn(event));
        }

        @Override
        public Object runWith(CoordinationService service) {
            service.release(target, executionArn);
            return Map.of("lock", "RELEASED");
        }
    }

    private static DeploymentTarget targetIn(JsonNode event) {
        return JsonHandler.field(event, "target", DeploymentTarget.class);
    }

    private static String executionArnIn(JsonNode event) {
        String execution = event.path("executionArn").asText("");
        if (execution.isEmpty()) {
            throw new InvalidInputException("executionArn: required");
        }
        return execution;
    }

    private static Instant startedAtIn(JsonNode event) {
        return instantIn(event, "startedAt");
    }

    private static Instant instantIn(JsonNode event, String field) {
        try {
            return Instant.parse(event.path(field).asText(""));
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field + ": not an ISO-8601 instant");
        }
    }
}
