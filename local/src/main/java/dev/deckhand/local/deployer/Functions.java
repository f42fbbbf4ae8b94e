package dev.deckhand.local.deployer;

import java.util.Map;

/** The deployer's Lambda functions: the substitution the definition names each by, and its name. */
final class Functions {

    static final String RESOLVE = "deckhand-resolve-env";
    static final String COORDINATE = "deckhand-coordinate";
    static final String DEPLOY = "deckhand-deploy-ecs";
    static final String MIGRATION = "deckhand-run-migration";
    static final String HEALTH_CHECK = "deckhand-health-check";
    static final String ROLLBACK = "deckhand-rollback";
    static final String NOTIFY = "deckhand-notify";
    /** Not in the definition: the dead-execution rule targets it. */
    static final String LOCK_CLEANUP = "deckhand-lock-cleanup";

    static final Map<String, String> BY_SUBSTITUTION = Map.of(
            "ResolveEnvironmentFunctionArn", RESOLVE,
            "CoordinateFunctionArn", COORDINATE,
            "DeployFunctionArn", DEPLOY,
            "MigrationFunctionArn", MIGRATION,
            "HealthCheckFunctionArn", HEALTH_CHECK,
            "RollbackFunctionArn", ROLLBACK,
            "NotifyFunctionArn", NOTIFY);

    private Functions() {
    }
}
