package dev.deckhand.plan;

import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.resolve.DeploymentRequest;
import dev.deckhand.resolve.EnvironmentResolver;
import dev.deckhand.resolve.Resolution;
import java.util.List;

/**
 * {@code deckhand plan}: resolve-env's decision for a push or a promotion, what applies to it and
 * the task-definition revision it would register, as a diff against the live one. It reads
 * (configuration, ECS descriptions) and never writes: no revision, no history, no lock.
 */
public final class PlanService {

    /** What Deckhand drives today; the plan says so rather than leave it implied. */
    static final String STRATEGY = "rolling update (the ECS service's own deployment configuration; "
            + "Deckhand drives no other strategy yet)";
    static final List<String> GATES = List.of("none (no approval here; Deckhand has no freeze-window or alarm gates yet)");

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
                target.image().uri(), STRATEGY, target.approval() == null ? GATES
                        : List.of("approval: waits up to " + target.approval().timeoutSeconds() / 60
                                + " min for a person's answer (deckhand approve|reject " + target.deploymentId() + ")"),
                target.migration() == null ? null : target.migration().command(),
                target.healthCheck() == null ? null : target.healthCheck().url(),
                preview.liveRevision(), diff);
    }
}
