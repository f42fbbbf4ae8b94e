package dev.deckhand.plan;

import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.freeze.FreezeSettings;
import dev.deckhand.gate.AlarmGate;
import dev.deckhand.resolve.DeploymentRequest;
import dev.deckhand.resolve.EnvironmentResolver;
import dev.deckhand.resolve.Resolution;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code deckhand plan}: resolve-env's decision for a push or a promotion, what applies to it and
 * the task-definition revision it would register, as a diff against the live one. It reads
 * (configuration, ECS descriptions) and never writes: no revision, no history, no lock.
 */
public final class PlanService {

    /** What Deckhand drives today; the plan says so rather than leave it implied. */
    static final String STRATEGY = "rolling update (the ECS service's own deployment configuration; "
            + "the environment sets no strategy)";

    private final ConfigurationSource configuration;
    private final RevisionPreviews previews;

    public PlanService(ConfigurationSource configuration, RevisionPreviews previews) {
        this.configuration = configuration;
        this.previews = previews;
    }

    /** The environment's strategy in one line: what ECS will do, and where Deckhand's hook judges. */
    static String strategyOf(dev.deckhand.config.DeploymentStrategy strategy, boolean healthCheck) {
        if (strategy == null) {
            return STRATEGY;
        }
        StringBuilder text = new StringBuilder(strategy.kind().configName());
        if (strategy.kind() == dev.deckhand.config.DeploymentStrategy.Kind.ROLLING) {
            text.append(strategy.circuitBreaker() ? " with the circuit breaker" : " without the circuit breaker");
        }
        if (strategy.canaryPercent() != null || strategy.canaryBakeMinutes() != null) {
            text.append(", canary ").append(strategy.canaryPercent() == null ? "ECS's default" : strategy.canaryPercent() + " %")
                    .append(" for ").append(strategy.canaryBakeMinutes() == null ? "ECS's default" : strategy.canaryBakeMinutes() + " min");
        }
        if (strategy.stepPercent() != null || strategy.stepBakeMinutes() != null) {
            text.append(", steps of ").append(strategy.stepPercent() == null ? "ECS's default" : strategy.stepPercent() + " %")
                    .append(" every ").append(strategy.stepBakeMinutes() == null ? "ECS's default" : strategy.stepBakeMinutes() + " min");
        }
        if (strategy.bakeMinutes() != null) {
            text.append(", bake ").append(strategy.bakeMinutes()).append(" min");
        }
        if (!strategy.alarms().isEmpty()) {
            text.append(", rolled back by ECS on alarm ").append(String.join(", ", strategy.alarms()));
        }
        if (strategy.shiftsTraffic() && healthCheck) {
            text.append("; Deckhand's health check is ECS's lifecycle hook at ")
                    .append(String.join(", ", dev.deckhand.deploy.StrategyRequest.hookStages(strategy)));
        }
        return text.toString();
    }

    public Plan plan(DeploymentRequest request) {
        Resolution resolution = new EnvironmentResolver(configuration.load()).resolve(request);
        if (resolution instanceof Resolution.Ignored ignored) {
            return new Plan(ignored.outcome(), ignored.reason(), null, null, null, null, null, null, null, null, null);
        }
        DeploymentTarget target = ((Resolution.Deploy) resolution).target();
        RevisionPreview preview = previews.preview(target.cluster(), target.ecsService(), target.container(),
                target.image().uri(), target.deploymentId());
        List<String> diff = UnifiedDiff.of(preview.liveRevision() + " (live)",
                "new revision for " + target.deploymentId() + " (container " + preview.container() + ")",
                preview.live(), preview.planned());
        return new Plan(resolution.outcome(), target.reason(), target.service(), target.environment(),
                target.image().uri(), strategyOf(target.strategy(), target.healthCheck() != null), gates(target),
                target.migration() == null ? null : target.migration().command(),
                target.healthCheck() == null ? null : target.healthCheck().url(),
                preview.liveRevision(), diff);
    }

    /** The gates the deployment would meet before anything changes, as the configuration sets them. */
    static List<String> gates(DeploymentTarget target) {
        List<String> gates = new ArrayList<>();
        if (target.approval() != null) {
            gates.add("approval: waits up to " + target.approval().timeoutSeconds() / 60
                    + " min for a person's answer (deckhand approve|reject " + target.deploymentId() + ")");
        }
        if (target.freeze() != null) {
            gates.add("freeze windows " + target.freeze().windows().stream().map(Object::toString)
                    .collect(Collectors.joining(", ")) + " (a push " + (target.freeze().whenFrozen()
                    == FreezeSettings.WhenFrozen.WAIT ? "waits" : "is refused") + " during a freeze)");
        }
        if (target.gate() != null) {
            gates.add("alarms " + String.join(", ", target.gate().alarms()) + " must not be in ALARM ("
                    + (target.gate().whenAlarming() == AlarmGate.WhenAlarming.WAIT
                            ? "waits up to " + target.gate().maxWaitMinutes() + " min" : "refused") + ")");
        }
        return gates.isEmpty() ? List.of("none") : List.copyOf(gates);
    }
}
