package dev.deckhand.deploy;

import dev.deckhand.config.DeploymentStrategy;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.errors.EcsRollbackFailedException;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.errors.RolledBackByEcsException;
import dev.deckhand.hook.HookAnswers;
import dev.deckhand.hook.HookDetails;
import dev.deckhand.errors.DeploymentTargetNotFoundException;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.errors.NothingToVerifyException;
import dev.deckhand.errors.RolloutFailedException;
import dev.deckhand.gate.AlarmCheck;
import dev.deckhand.gate.AlarmStates;
import dev.deckhand.readiness.RollbackReadiness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The three steps that change an ECS service: prepare the revision, update the service, judge the rollout. */
public final class DeployService {

    /** How long a rollout may take before Deckhand gives up on it and rolls back. */
    public static final Duration ROLLOUT_DEADLINE = Duration.ofMinutes(30);
    /** How far back the service deployment of an update is looked for: the step's retries, with room for clock skew. */
    static final Duration SERVICE_DEPLOYMENT_LOOKBACK = Duration.ofMinutes(15);

    private final EcsDeployments ecs;
    private final Clock clock;
    private final RollbackReadiness readiness;
    private final AlarmStates alarms;
    private final HookFunction hook;
    private final HookAnswers hookAnswers;

    /** Without the rollback-readiness check (steps that only update or watch a service). */
    public DeployService(EcsDeployments ecs, Clock clock) {
        this(ecs, clock, null);
    }

    public DeployService(EcsDeployments ecs, Clock clock, RollbackReadiness readiness) {
        this(ecs, clock, readiness, names -> {
            throw new IllegalStateException("this deploy service reads no alarms");
        }, null, null);
    }

    /**
     * @param alarms the alarm gate's CloudWatch alarms
     * @param hook Deckhand's lifecycle hook function, or {@code null} where the stack has none
     * @param hookAnswers what the hook answered, for the reason of a rollback by ECS; {@code null} where none is kept
     */
    public DeployService(EcsDeployments ecs, Clock clock, RollbackReadiness readiness, AlarmStates alarms,
            HookFunction hook, HookAnswers hookAnswers) {
        this.alarms = alarms;
        this.ecs = ecs;
        this.clock = clock;
        this.readiness = readiness;
        this.hook = hook;
        this.hookAnswers = hookAnswers;
    }

    /** "Check the alarms": whether the environment's gate alarms let the deployment change anything. */
    public AlarmCheck checkAlarms(DeploymentTarget target) {
        if (target.gate() == null) {
            throw new InvalidInputException("target.gate: this environment has no alarm gate");
        }
        return AlarmCheck.of(target.gate(), alarms.statesOf(target.gate().alarms()));
    }

    /**
     * Registers (or finds, on a retry) the revision that runs the target's image.
     *
     * @throws NothingToVerifyException when the service is scaled to zero: with no task to start,
     *     the rollout and the health check would observe nothing, and "verified" would be a claim
     *     without a signal
     */
    public Release prepare(DeploymentTarget target) {
        ServiceSnapshot service = ecs.describeService(target.cluster(), target.ecsService());
        EcsDeployment primary = service.primary().orElseThrow(() ->
                new DeploymentTargetNotFoundException("ECS service " + target.ecsService() + " in cluster "
                        + target.cluster() + " has no PRIMARY deployment to take the task definition from"));
        // API_Service: desiredCount, the number of tasks the service keeps running.
        if (service.desiredCount() == 0) {
            throw new NothingToVerifyException("ECS service " + target.ecsService() + " in cluster " + target.cluster()
                    + " has a desired count of 0: no task would run the new revision, so Deckhand could not verify it; "
                    + "scale the service up, then push or rerun");
        }
        String current = primary.taskDefinitionArn();
        TaskDefinitionRevision revision = ecs.registerRevision(current, target.container(), target.image().uri(),
                target.deploymentId());
        // Checked before anything changes, so the outcome says early when a failure would have no way back.
        String rollbackReadiness = readiness == null ? null : readiness.check(target.service(), target.environment(),
                target.cluster(), target.ecsService()).summary();
        return new Release(current, revision.arn(), revision.container(), revision.reused(), rollbackReadiness);
    }

    /** Points the service at a revision; a retried step finds the deployment it already started. */
    public Rollout update(DeploymentTarget target, String taskDefinition, String image) {
        // A rollback too goes through the environment's strategy, its hook judging the image it returns to.
        return update(target, taskDefinition, image, strategyFor(target, target.container(), image));
    }

    /**
     * Points the service at the release's revision with the environment's strategy: ECS then
     * shifts traffic and invokes Deckhand's hook at the stages where the new revision alone answers.
     */
    public Rollout update(DeploymentTarget target, Release release) {
        return update(target, release.taskDefinition(), target.image().uri(),
                strategyFor(target, release.container(), target.image().uri()));
    }

    private Rollout update(DeploymentTarget target, String taskDefinition, String image, StrategyRequest strategy) {
        Instant asked = clock.instant();
        String ecsDeployment = ecs.updateService(target.cluster(), target.ecsService(), taskDefinition, strategy);
        // A retried step finds the deployment its first try started, up to a Lambda timeout earlier.
        String serviceDeployment = ecs.newestServiceDeployment(target.cluster(), target.ecsService(),
                asked.minus(SERVICE_DEPLOYMENT_LOOKBACK)).orElse(null);
        return new Rollout(ecsDeployment, taskDefinition, image, clock.instant(), serviceDeployment);
    }

    /**
     * Where the rollout stands.
     *
     * @throws RolloutFailedException when it failed, ECS rolled it back, another deployment replaced
     *     it, or it ran past {@link #ROLLOUT_DEADLINE}
     */
    public RolloutProgress check(DeploymentTarget target, Rollout rollout) {
        if (target.strategy() != null && target.strategy().shiftsTraffic() && rollout.serviceDeploymentArn() != null) {
            return checkServiceDeployment(target, rollout);
        }
        ServiceSnapshot service = ecs.describeService(target.cluster(), target.ecsService());
        RolloutStatus status = RolloutVerdict.judge(service, rollout.ecsDeploymentId(), rollout.taskDefinition());
        if (status instanceof RolloutStatus.Completed) {
            return new RolloutProgress("COMPLETED", "steady state with " + rollout.taskDefinition());
        }
        if (status instanceof RolloutStatus.Failed failed) {
            throw new RolloutFailedException(failed.reason() + stoppedTasks(target, rollout) + recentEvents(service));
        }
        String progress = ((RolloutStatus.InProgress) status).progress();
        Instant deadline = rollout.startedAt().plus(ROLLOUT_DEADLINE);
        if (!clock.instant().isBefore(deadline)) {
            throw new RolloutFailedException("the rollout did not finish within " + ROLLOUT_DEADLINE.toMinutes()
                    + " minutes (" + progress + ")" + recentEvents(service));
        }
        return new RolloutProgress("IN_PROGRESS", progress);
    }

    /**
     * A blue-green, linear or canary deployment, judged by ECS's service deployment: ECS shifts the
     * traffic, bakes and rolls back, so its terminal status is the verdict (service-deployment:
     * SUCCESSFUL, STOPPED, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED).
     *
     * @throws RolledBackByEcsException when ECS shifted traffic back (a hook FAILED, an alarm, the breaker)
     * @throws EcsRollbackFailedException when ECS could not
     * @throws RolloutFailedException when it was stopped, or ran past the deadline its bake times allow
     */
    private RolloutProgress checkServiceDeployment(DeploymentTarget target, Rollout rollout) {
        ServiceDeploymentState state = ecs.serviceDeployment(rollout.serviceDeploymentArn()).orElse(null);
        if (state != null) {
            switch (state.status()) {
                case "SUCCESSFUL" -> {
                    return new RolloutProgress("COMPLETED", state.describe());
                }
                case "ROLLBACK_SUCCESSFUL" -> throw new RolledBackByEcsException("ECS rolled "
                        + target.strategy().kind().configName() + " deployment " + rollout.serviceDeploymentArn()
                        + " back to the previous revision (" + state.describe() + ")" + whatTheHookAnswered(state));
                case "ROLLBACK_FAILED" -> throw new EcsRollbackFailedException("ECS could not roll "
                        + rollout.serviceDeploymentArn() + " back (" + state.describe() + ")");
                case "STOPPED" -> throw new RolloutFailedException("ECS stopped " + rollout.serviceDeploymentArn()
                        + " (" + state.describe() + ")");
                default -> {
                }
            }
        }
        String progress = state == null ? "ECS does not describe " + rollout.serviceDeploymentArn() + " yet"
                : state.describe();
        Duration budget = ROLLOUT_DEADLINE.plus(bakeTime(target.strategy()));
        if (!clock.instant().isBefore(rollout.startedAt().plus(budget))) {
            throw new RolloutFailedException("the " + target.strategy().kind().configName() + " deployment did not "
                    + "finish within " + budget.toMinutes() + " minutes (" + progress + ")");
        }
        return new RolloutProgress("IN_PROGRESS", progress);
    }

    /**
     * ": the hook answered FAILED at …", when the hook kept a verdict on the rolled-back revision
     * (ECS records only the hook's status). Not reading it never hides the rollback itself.
     */
    private String whatTheHookAnswered(ServiceDeploymentState state) {
        if (hookAnswers == null || state.targetServiceRevisionArn() == null) {
            return "";
        }
        try {
            return hookAnswers.last(state.targetServiceRevisionArn()).map(answer -> ": " + answer).orElse("");
        } catch (RuntimeException e) {
            return " (the hook's answers could not be read: " + e.getMessage() + ")";
        }
    }

    /**
     * How long the strategy's bakes can take on top of the rollout itself: the bake after
     * production shifted, the canary step's, or each linear step's (ECS's defaults when unset:
     * API_CanaryConfiguration 10 min, API_LinearConfiguration 6 min per step of 10 %).
     */
    static Duration bakeTime(DeploymentStrategy strategy) {
        long minutes = strategy.bakeMinutes() == null ? 0 : strategy.bakeMinutes();
        if (strategy.kind() == DeploymentStrategy.Kind.CANARY) {
            minutes += strategy.canaryBakeMinutes() == null ? 10 : strategy.canaryBakeMinutes();
        }
        if (strategy.kind() == DeploymentStrategy.Kind.LINEAR) {
            double step = strategy.stepPercent() == null ? 10.0 : strategy.stepPercent();
            long steps = (long) Math.ceil(100.0 / step);
            minutes += steps * (strategy.stepBakeMinutes() == null ? 6 : strategy.stepBakeMinutes());
        }
        return Duration.ofMinutes(minutes);
    }

    /** What UpdateService asks for besides the revision; {@code null} leaves the service's configuration alone. */
    StrategyRequest strategyFor(DeploymentTarget target, String releasedContainer, String image) {
        DeploymentStrategy strategy = target.strategy();
        if (strategy == null) {
            return null;
        }
        String container = strategy.loadBalancer() != null && strategy.loadBalancer().container() != null
                ? strategy.loadBalancer().container() : releasedContainer;
        if (!strategy.shiftsTraffic() || target.healthCheck() == null) {
            return new StrategyRequest(strategy, container, null);
        }
        if (hook == null) {
            throw new InvalidInputException(target.environment() + " asks for a " + strategy.kind().configName()
                    + " deployment judged by Deckhand's lifecycle hook, but this installation has no hook function "
                    + "(redeploy the Deckhand stack)");
        }
        HookDetails details = new HookDetails(target.deploymentId().value(), image, target.healthCheck(),
                strategy.loadBalancer().testUrl(), null, null);
        return new StrategyRequest(strategy, container, new StrategyRequest.Hook(hook.functionArn(), hook.roleArn(),
                StrategyRequest.hookStages(strategy), details));
    }

    private String stoppedTasks(DeploymentTarget target, Rollout rollout) {
        List<String> stopped = ecs.stoppedTasks(target.cluster(), target.ecsService(), rollout.ecsDeploymentId(), 3);
        return stopped.isEmpty() ? "" : "; stopped tasks: " + String.join(" | ", stopped);
    }

    /** The service's newest events, the first thing an operator reads after a failed rollout. */
    private static String recentEvents(ServiceSnapshot service) {
        if (service.recentEvents().isEmpty()) {
            return "";
        }
        return "; recent service events: " + String.join(" | ", service.recentEvents().subList(0,
                Math.min(3, service.recentEvents().size())));
    }
}
