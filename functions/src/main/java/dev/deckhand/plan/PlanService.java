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
            + "Deckhand drives no other strategy yet)";

    private final ConfigurationSource configuration;
    private final RevisionPreviews previews;

    public PlanService(ConfigurationSource configuration, RevisionPreviews previews) {
        this.configuration = configuration;
        this.previews = previews;
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
                target.image().uri(), STRATEGY, gates(target),
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
