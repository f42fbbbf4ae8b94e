package dev.deckhand.infra;

/**
 * The custom metrics the dashboard and the rollback alarm read, in the namespace
 * {@value DeckhandFunction#METRICS_NAMESPACE}. The handler that records a deployment's outcome
 * emits them (Powertools metrics, embedded metric format); this is their contract.
 */
public final class DeploymentMetrics {

    /** Count, 1 per finished deployment; dimension sets {Environment, Outcome} and {Outcome}. */
    public static final String DEPLOYMENTS = "Deployments";
    /** Seconds from resolution to the outcome; dimension {Environment}. */
    public static final String DURATION = "DeploymentDuration";
    /** Health-check probe rounds a deployment needed; dimension {Environment}. */
    public static final String HEALTH_CHECK_ATTEMPTS = "HealthCheckAttempts";

    public static final String ENVIRONMENT = "Environment";
    public static final String OUTCOME = "Outcome";

    /** The outcomes a deployment ends with. */
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String ROLLED_BACK = "ROLLED_BACK";
    public static final String FAILED = "FAILED";

    private DeploymentMetrics() {
    }
}
