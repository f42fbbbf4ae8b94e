package dev.deckhand.infra;

import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.config.EnvironmentDefinition;
import dev.deckhand.config.HealthCheckSettings;
import dev.deckhand.health.HealthCheck;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awscdk.Duration;

/**
 * Deckhand's handlers: the table the stack deploys, one line per function. Adding a handler is
 * adding a line here; the stack gives it a role with exactly its {@link FunctionAccess}, a log
 * group, a SnapStart alias, and, for a step of the deployer, the substitution
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
    static final String HEALTH_CHECK = "HealthCheck";
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
    public static final FunctionSpec LOCK_CLEANUP = new FunctionSpec("LockCleanup",
            "dev.deckhand.coordinate.LockCleanupHandler::handleRequest", MEMORY_MB, Duration.seconds(30), null,
            Set.of(FunctionAccess.LOCKS, FunctionAccess.HISTORY_READ, FunctionAccess.HISTORY_WRITE),
            "Deckhand: releases the lock of a deployer execution that failed, timed out or was aborted");

    /** The promote and status API behind API Gateway. */
    public static final FunctionSpec DEPLOYMENT_API = new FunctionSpec("DeploymentApi",
            "dev.deckhand.promote.DeploymentApiHandler::handleRequest", MEMORY_MB,
            // API Gateway gives an integration 29 seconds at most.
            Duration.seconds(29), null,
            Set.of(FunctionAccess.CONFIGURATION, FunctionAccess.HISTORY_READ, FunctionAccess.HISTORY_LIST,
                    FunctionAccess.START_DEPLOYMENT),
            "Deckhand promote API: starts promotions and answers deployment status");

    private DeployerFunctions() {
    }

    /** The functions the deployer's definition invokes, for this configuration's health checks. */
    public static List<FunctionSpec> steps(DeckhandConfiguration configuration) {
        return List.of(
                new FunctionSpec("ResolveEnvironment", "dev.deckhand.resolve.ResolveEnvironmentHandler::handleRequest",
                        MEMORY_MB, Duration.seconds(30), null, Set.of(FunctionAccess.CONFIGURATION, FunctionAccess.ECR_IMAGES),
                        "Deckhand resolve-env: maps an ECR push or a promotion to its target, or ignores it"),
                new FunctionSpec("Coordinate", "dev.deckhand.coordinate.CoordinateHandler::handleRequest",
                        MEMORY_MB, Duration.seconds(30), null,
                        Set.of(FunctionAccess.HISTORY_READ, FunctionAccess.HISTORY_WRITE, FunctionAccess.LOCKS),
                        "Deckhand coordinate: claims a deployment once, takes and releases its environment's lock"),
                new FunctionSpec("Deploy", "dev.deckhand.deploy.DeployHandler::handleRequest",
                        MEMORY_MB, Duration.seconds(60), DEPLOY_CONCURRENCY, Set.of(FunctionAccess.ECS_DEPLOY),
                        "Deckhand deploy-ecs: registers the pinned revision, updates the service, checks the rollout"),
                new FunctionSpec("Migration", "dev.deckhand.migrate.MigrationHandler::handleRequest",
                        MEMORY_MB, Duration.seconds(60), ECS_CONCURRENCY, Set.of(FunctionAccess.ECS_MIGRATE),
                        "Deckhand run-migration: starts and checks the one-off migration task"),
                new FunctionSpec(HEALTH_CHECK, "dev.deckhand.health.HealthCheckHandler::handleRequest",
                        MEMORY_MB, healthCheckTimeout(configuration), null, Set.of(),
                        "Deckhand health-check: one round of HTTP probes against the deployed service"),
                new FunctionSpec("Rollback", "dev.deckhand.rollback.RollbackHandler::handleRequest",
                        MEMORY_MB, Duration.seconds(60), ECS_CONCURRENCY,
                        Set.of(FunctionAccess.HISTORY_READ, FunctionAccess.ECS_ROLLBACK, FunctionAccess.ECR_IMAGES),
                        "Deckhand rollback: points the service back at its last verified revision"),
                new FunctionSpec("Notify", "dev.deckhand.notify.NotifyHandler::handleRequest",
                        MEMORY_MB, Duration.seconds(60), null, Set.of(FunctionAccess.HISTORY_WRITE, FunctionAccess.NOTIFY),
                        "Deckhand notify: records the outcome, publishes it, emits its metrics"));
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
