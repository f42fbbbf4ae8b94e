package dev.deckhand.catalogue;

import dev.deckhand.coordinate.CoordinateHandler;
import dev.deckhand.coordinate.CoordinateInput;
import dev.deckhand.coordinate.LockCleanupHandler;
import dev.deckhand.deploy.DeployHandler;
import dev.deckhand.deploy.DeployInput;
import dev.deckhand.health.HealthCheckHandler;
import dev.deckhand.hook.LifecycleHookHandler;
import dev.deckhand.migrate.MigrationHandler;
import dev.deckhand.migrate.MigrationInput;
import dev.deckhand.notify.NotifyHandler;
import dev.deckhand.promote.DeploymentApiHandler;
import dev.deckhand.record.RecordHandler;
import dev.deckhand.resolve.ResolveEnvironmentHandler;
import dev.deckhand.rollback.RollbackHandler;
import dev.deckhand.wait.WaitInput;
import dev.deckhand.wait.WaitRouterHandler;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Every Lambda function of Deckhand, listed once: the steps the deployer's definition invokes
 * (through the placeholder {@code ${<name>FunctionArn}}) and the two functions beside it. The CDK
 * app deploys one function per entry with exactly its {@link Access}, the local Deckhand registers
 * one per entry, and the definition test checks every Task's placeholder and {@code action}
 * against this list. wait-router is both: the waiting states invoke it, the ECS event rules target it. Adding a step is adding a line here; the compiler then points at every
 * place that must build or deploy it.
 */
public enum DeployerFunction {
    RESOLVE_ENVIRONMENT("ResolveEnvironment", "resolve-env", ResolveEnvironmentHandler.class, true, Set.of(),
            Set.of(Access.CONFIGURATION, Access.ECR_IMAGES, Access.HISTORY_READ, Access.HISTORY_LIST),
            "maps an ECR push, a promotion or a rollback request to its target, or ignores it"),
    COORDINATE("Coordinate", "coordinate", CoordinateHandler.class, true, CoordinateInput.ACTIONS.actions(),
            Set.of(Access.HISTORY_READ, Access.HISTORY_CLAIM, Access.LOCKS, Access.WAKE_DEPLOYER, Access.FREEZES_READ),
            "claims a deployment once, takes, waits for and releases its environment's lock"),
    DEPLOY("Deploy", "deploy-ecs", DeployHandler.class, true, DeployInput.ACTIONS.actions(),
            Set.of(Access.ECS_DEPLOY, Access.HISTORY_READ, Access.ECR_IMAGES, Access.ASSUME_DEPLOYMENT_ROLES,
                    Access.ALARMS_READ, Access.PASS_HOOK_ROLE, Access.WAITS, Access.WAITS_FIND, Access.WAKE_DEPLOYER,
                    Access.HOOK_ANSWERS_READ),
            "registers the pinned revision (checking rollback readiness), checks the alarm gate, updates the "
                    + "service and waits for its deployment's event, checks the rollout"),
    MIGRATION("Migration", "run-migration", MigrationHandler.class, true, MigrationInput.ACTIONS.actions(),
            Set.of(Access.ECS_MIGRATE, Access.ASSUME_MIGRATION_ROLES, Access.WAITS, Access.WAITS_FIND,
                    Access.WAKE_DEPLOYER),
            "starts the one-off migration and verification tasks and waits for their events, checks them"),
    WAIT_ROUTER("WaitRouter", "wait-router", WaitRouterHandler.class, true, WaitInput.ACTIONS.actions(),
            Set.of(Access.WAITS, Access.WAKE_DEPLOYER),
            "stores the waiting states' task tokens and answers them with the verdict when ECS reports what they wait for"),
    HEALTH_CHECK("HealthCheck", "health-check", HealthCheckHandler.class, true, Set.of(), Set.of(),
            "one round of HTTP probes against the deployed service"),
    ROLLBACK("Rollback", "rollback", RollbackHandler.class, true, Set.of(),
            Set.of(Access.HISTORY_READ, Access.ECS_ROLLBACK, Access.ASSUME_DEPLOYMENT_ROLES, Access.ECR_IMAGES,
                    Access.PASS_HOOK_ROLE),
            "points the service back at its last verified revision"),
    RECORD("Record", "record", RecordHandler.class, true, Set.of(),
            Set.of(Access.HISTORY_WRITE, Access.HISTORY_READ, Access.CONFIGURATION, Access.ECS_CLEANUP,
                    Access.LOCKS_RELEASE, Access.WAKE_DEPLOYER),
            "records the outcome in the history, marks a successful release verified, deregisters surplus revisions, "
                    + "then releases the lock of a success"),
    NOTIFY("Notify", "notify", NotifyHandler.class, true, Set.of(), Set.of(Access.NOTIFY),
            "publishes the outcome, emits its metrics"),
    /** Not in the definition: the dead-execution rule targets it. */
    LOCK_CLEANUP("LockCleanup", "lock-cleanup", LockCleanupHandler.class, false, Set.of(),
            Set.of(Access.LOCKS_RELEASE, Access.HISTORY_READ, Access.HISTORY_WRITE, Access.WAKE_DEPLOYER,
                    Access.WAITS_FORGET),
            "releases the lock and forgets the waits of a deployer execution that failed, timed out or was aborted"),
    /** Not in the definition: the promote and status API behind API Gateway. */
    DEPLOYMENT_API("DeploymentApi", "promote API", DeploymentApiHandler.class, false, Set.of(),
            Set.of(Access.CONFIGURATION, Access.HISTORY_READ, Access.HISTORY_LIST, Access.START_DEPLOYMENT,
                    Access.ECR_IMAGES, Access.LOCKS_READ, Access.WAKE_DEPLOYER, Access.FREEZES_WRITE),
            "starts promotions and rollbacks, answers approvals and deployment status"),
    /**
     * Not in the definition: ECS invokes it at the lifecycle stages of a blue-green, linear or canary
     * deployment (the hooks Deploy's UpdateService names), through the role ECS assumes for it.
     * It probes health URLs over HTTP and keeps why it answered FAILED, for the rollback's report.
     */
    LIFECYCLE_HOOK("LifecycleHook", "lifecycle-hook", LifecycleHookHandler.class, false, Set.of(),
            Set.of(Access.HOOK_ANSWERS_KEEP),
            "Deckhand's health judge as the ECS lifecycle hook of blue-green, linear and canary deployments");

    private final String functionName;
    private final String shortName;
    private final Class<?> handler;
    private final boolean step;
    private final Set<String> actions;
    private final Set<Access> access;
    private final String purpose;

    DeployerFunction(String functionName, String shortName, Class<?> handler, boolean step, Set<String> actions,
            Set<Access> access, String purpose) {
        this.functionName = functionName;
        this.shortName = shortName;
        this.handler = handler;
        this.step = step;
        this.actions = actions;
        this.access = access.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(access));
        this.purpose = purpose;
    }

    /** The functions the deployer's definition invokes, in the order the definition first reaches them. */
    public static List<DeployerFunction> steps() {
        return Arrays.stream(values()).filter(DeployerFunction::isStep).toList();
    }

    /** PascalCase; the CDK construct id and the definition placeholder derive from it. */
    public String functionName() {
        return functionName;
    }

    /** The short name operators know it by ({@code deckhand-<shortName>} locally and in descriptions). */
    public String shortName() {
        return shortName;
    }

    /** Whether the deployer's definition invokes it. */
    public boolean isStep() {
        return step;
    }

    /**
     * The definition's placeholder for this step's ARN, {@code <name>FunctionArn} (written
     * {@code ${…}} in the definition).
     */
    public String placeholder() {
        if (!step) {
            throw new IllegalStateException(functionName + " is not a step of the deployer's definition");
        }
        return functionName + "FunctionArn";
    }

    /** {@code class::method} for the Lambda runtime. */
    public String handlerReference() {
        return handler.getName() + "::handleRequest";
    }

    public Class<?> handlerClass() {
        return handler;
    }

    /** The {@code action} values its input may carry (its handler's input table); empty when the step has one thing to do. */
    public Set<String> actions() {
        return actions;
    }

    public Set<Access> access() {
        return access;
    }

    /** The environment variables its handler reads, from its {@link #access()}. */
    public Set<String> environment() {
        return access.stream().flatMap(each -> each.environment().stream())
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    /** One line for the console: {@code Deckhand <shortName>: <purpose>}. */
    public String description() {
        return "Deckhand " + shortName + ": " + purpose;
    }
}
