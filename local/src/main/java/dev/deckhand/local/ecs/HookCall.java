package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A lifecycle hook invocation that is due: ECS invokes the Lambda function outside its lock (the
 * hook may probe the service's load balancer or call ECS), then {@link TrafficShifting#answered}
 * applies the answer at {@code due}; {@code then} continues the deployment once every hook of
 * {@code stage} has SUCCEEDED.
 */
record HookCall(TrafficShift shift, String stage, int hookIndex, String executionId, JsonNode hookDetails,
                Instant due, Consumer<Instant> then) {

    DeploymentStrategy.LifecycleHook hook() {
        return TrafficShifting.hooksAt(shift, stage).get(hookIndex);
    }
}
