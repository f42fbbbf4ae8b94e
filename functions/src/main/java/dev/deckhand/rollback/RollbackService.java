package dev.deckhand.rollback;

import dev.deckhand.deploy.DeployService;
import dev.deckhand.deploy.EcsDeployments;
import dev.deckhand.deploy.Rollout;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.deployment.ImageRegistry;
import dev.deckhand.errors.NothingToRollBackException;
import dev.deckhand.errors.RollbackTargetUnavailableException;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.readiness.RollbackReadiness;
import dev.deckhand.readiness.RollbackReadiness.Readiness;

/**
 * Returns a service to the revision Deckhand last verified healthy for it — not merely the
 * previous one, which may never have worked. Before the service changes, it checks the way back
 * is still there: the revision was verified on this very ECS service, and its image is still in
 * ECR (else the rollback is refused and says why, instead of a futile update); a deregistered
 * revision is registered again from its description. The state machine then waits for that
 * rollout and verifies health again, as for any deployment.
 */
public final class RollbackService {

    private final RollbackReadiness readiness;
    private final DeployService deploy;
    private final EcsDeployments ecs;

    public RollbackService(DeploymentHistory history, DeployService deploy, EcsDeployments ecs, ImageRegistry registry) {
        this.readiness = new RollbackReadiness(history, registry);
        this.deploy = deploy;
        this.ecs = ecs;
    }

    /**
     * @throws NothingToRollBackException nothing was ever verified on this ECS service (a first
     *     deployment, or the environment now names another ECS service)
     * @throws RollbackTargetUnavailableException the verified image is no longer in ECR
     */
    public Rollout start(DeploymentTarget target) {
        Readiness readiness = this.readiness.check(target.service(), target.environment(), target.cluster(),
                target.ecsService());
        if (readiness instanceof Readiness.NothingVerified nothing) {
            throw new NothingToRollBackException(nothing.reason());
        }
        if (readiness instanceof Readiness.ImageUnavailable unavailable) {
            throw new RollbackTargetUnavailableException(unavailable.reason() + "; the service was not changed");
        }
        VerifiedRevision verified = ((Readiness.Ready) readiness).target();
        String revision = ecs.usableRevision(verified.taskDefinition(), new DeploymentId(verified.deploymentId())).arn();
        return deploy.update(target, revision, verified.image());
    }
}
