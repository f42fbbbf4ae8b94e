package dev.deckhand.hook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.json.JsonStepHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * lifecycle-hook: ECS invokes it at the lifecycle stages UpdateService names (not a step of the
 * definition). Parses ECS's payload, asks {@link LifecycleHook}, answers ECS.
 */
public final class LifecycleHookHandler extends JsonStepHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleHookHandler.class);

    private final LifecycleHook hook;

    /** Used by the Lambda runtime: real HTTP, real pauses between the probes of a round. */
    public LifecycleHookHandler() {
        this(Environment.wiring().lifecycleHook());
    }

    public LifecycleHookHandler(LifecycleHook hook) {
        this.hook = hook;
    }

    @Override
    protected Object step(JsonNode event) {
        HookInvocation invocation = HookInvocation.parse(event);
        try {
            HookAnswer answer = hook.answer(invocation);
            // The answer's reason is what an operator needs when ECS rolls back on it.
            LOG.info("hook answer {} for {}: {}", answer.hookStatus(), invocation.targetServiceRevisionArn(),
                    answer.reason());
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between health probes", e);
        }
    }
}
