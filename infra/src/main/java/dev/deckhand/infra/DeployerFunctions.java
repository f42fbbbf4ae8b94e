package dev.deckhand.infra;

import dev.deckhand.catalogue.DeployerFunction;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.config.EnvironmentDefinition;
import dev.deckhand.config.HealthCheckSettings;
import dev.deckhand.health.HealthCheck;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.Duration;

/**
 * Deckhand's handlers as the stack deploys them: the catalogue's {@link DeployerFunction}s with
 * their memory, timeout and concurrency. The stack gives each a role with exactly its access, a
 * log group, a SnapStart alias, and, for a step of the deployer, the substitution
 * {@code ${<Name>FunctionArn}} in the definition.
 *
 * <p>Memory: 1024 MB for every handler. They are I/O bound (AWS API calls, HTTP probes), but
 * Lambda allocates CPU in proportion to memory and a JVM's class loading and JIT on cold start
 * or restore are CPU bound; at a few invocations per deployment the cost is negligible.
 *
 * <p>Timeouts: a step's function never outlives the {@code TimeoutSeconds} the definition gives
 * the states that invoke it (Step Functions would have given up on it already).
 */
public final class DeployerFunctions {

    static final int MEMORY_MB = 1024;
    /** The health-check step's name; its timeout follows the configuration. */
    static final String HEALTH_CHECK = DeployerFunction.HEALTH_CHECK.functionName();
    /** A probe round's time beyond its probes: SnapStart restore, reading the answers, reporting. */
    static final Duration HEALTH_ROUND_HEADROOM = Duration.seconds(10);
    /** The shortest health-check timeout, for configurations with quick (or no) health checks. */
    static final Duration HEALTH_MIN_TIMEOUT = Duration.seconds(30);
    /**
     * Concurrent ECS-calling invocations: a burst of pushes queues in Step Functions' Retry
     * (Lambda.TooManyRequestsException is retried with backoff) instead of throttling the account's
     * ECS API for everyone. Deploy runs every rollout check, hence more.
     */
    static final int DEPLOY_CONCURRENCY = 10;
    static final int ECS_CONCURRENCY = 5;

    /** Releases the lock of a deployer execution that ended without releasing it (the dead-execution rule's target). */
    public static final FunctionSpec LOCK_CLEANUP = spec(DeployerFunction.LOCK_CLEANUP, Duration.seconds(30), null);

    /** The promote and status API behind API Gateway; API Gateway gives an integration 29 seconds at most. */
    public static final FunctionSpec DEPLOYMENT_API = spec(DeployerFunction.DEPLOYMENT_API, Duration.seconds(29), null);

    private DeployerFunctions() {
    }

    /**
     * The lifecycle hook ECS invokes: one probe round per invocation, like the health-check step
     * (a round short of the verdict answers IN_PROGRESS rather than waiting), so the same timeout.
     */
    public static FunctionSpec lifecycleHook(DeckhandConfiguration configuration) {
        return spec(DeployerFunction.LIFECYCLE_HOOK, healthCheckTimeout(configuration), null);
    }

    /** The functions the deployer's definition invokes (the catalogue's steps), for this configuration's health checks. */
    public static List<FunctionSpec> steps(DeckhandConfiguration configuration) {
        // What the stack adds to the catalogue: how long each may run and how many may run at once.
        return DeployerFunction.steps().stream().map(step -> switch (step) {
            case RESOLVE_ENVIRONMENT, COORDINATE, WAIT_ROUTER -> spec(step, Duration.seconds(30), null);
            case DEPLOY -> spec(step, Duration.seconds(60), DEPLOY_CONCURRENCY);
            case MIGRATION, ROLLBACK -> spec(step, Duration.seconds(60), ECS_CONCURRENCY);
            case HEALTH_CHECK -> spec(step, healthCheckTimeout(configuration), null);
            case RECORD, NOTIFY -> spec(step, Duration.seconds(60), null);
            case LOCK_CLEANUP, DEPLOYMENT_API, LIFECYCLE_HOOK -> throw new IllegalStateException(step + " is not a step");
        }).toList();
    }

    private static FunctionSpec spec(DeployerFunction function, Duration timeout, Integer reservedConcurrency) {
        return new FunctionSpec(function.functionName(), function.handlerReference(), MEMORY_MB, timeout,
                reservedConcurrency, function.access(), function.description());
    }

    /**
     * Long enough for the longest probe round the configuration asks for: one round is
     * {@code consecutiveSuccesses} probes of up to {@code timeoutSeconds} each, spaced by
     * {@link HealthCheck#PROBE_SPACING}, plus {@link #HEALTH_ROUND_HEADROOM}; at least
     * {@link #HEALTH_MIN_TIMEOUT}. Deriving it keeps a runaway round short instead of giving every
     * installation Lambda's maximum; the loader already caps a round at
     * {@link HealthCheckSettings#MAX_ROUND_SECONDS}, so it fits the "Verify health" step.
     */
    static Duration healthCheckTimeout(DeckhandConfiguration configuration) {
        long longest = configuration.services().values().stream()
                .flatMap(service -> service.environments().values().stream())
                .map(EnvironmentDefinition::healthCheck).filter(Objects::nonNull)
                .mapToLong(DeployerFunctions::roundSeconds).max().orElse(0);
        return Duration.seconds(Math.max(longest + HEALTH_ROUND_HEADROOM.toSeconds().longValue(),
                HEALTH_MIN_TIMEOUT.toSeconds().longValue()));
    }

    static long roundSeconds(HealthCheckSettings settings) {
        int probes = settings.consecutiveSuccesses();
        return (long) probes * settings.timeoutSeconds() + (long) (probes - 1) * HealthCheck.PROBE_SPACING.toSeconds();
    }
}
