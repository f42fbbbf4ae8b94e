package dev.deckhand.rollback;

import dev.deckhand.deploy.DeployService;
import dev.deckhand.deploy.EcsDeployments;
import dev.deckhand.deploy.Rollout;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.deployment.ImageRef;
import dev.deckhand.deployment.ImageRegistry;
import dev.deckhand.errors.NothingToRollBackException;
import dev.deckhand.errors.RollbackTargetUnavailableException;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.history.VerifiedRevision;

/**
 * Returns a service to the revision Deckhand last verified healthy for it — not merely the
 * previous one, which may never have worked. Before the service changes, it checks the way back
 * is still there: the revision was verified on this very ECS service, and its image is still in
 * ECR (else the rollback is refused and says why, instead of a futile update); a deregistered
 * revision is registered again from its description. The state machine then waits for that
 * rollout and verifies health again, as for any deployment.
 */
public final class RollbackService {

    private final DeploymentHistory history;
    private final DeployService deploy;
    private final EcsDeployments ecs;
    private final ImageRegistry registry;

    public RollbackService(DeploymentHistory history, DeployService deploy, EcsDeployments ecs, ImageRegistry registry) {
        this.history = history;
        this.deploy = deploy;
        this.ecs = ecs;
        this.registry = registry;
    }

    /**
     * @throws NothingToRollBackException nothing was ever verified on this ECS service (a first
     *     deployment, or the environment now names another ECS service)
     * @throws RollbackTargetUnavailableException the verified image is no longer in ECR
     */
    public Rollout start(DeploymentTarget target) {
        String where = target.service() + "/" + target.environment();
        VerifiedRevision verified = history.lastVerified(target.service(), target.environment())
                .orElseThrow(() -> new NothingToRollBackException("nothing to roll back to: Deckhand never verified a "
                        + "revision of " + where + " healthy (first deployment)"));
        if (!verified.verifiedOn(target.cluster(), target.ecsService())) {
            throw new NothingToRollBackException("nothing to roll back to: the last revision verified for " + where
                    + " ran on ECS service " + verified.ecsService() + ", and this environment now deploys "
                    + VerifiedRevision.ecsService(target.cluster(), target.ecsService())
                    + ", where Deckhand has verified nothing");
        }
        ImageRef image = ImageRef.parsePinned(verified.image(), null).orElseThrow(() ->
                new RollbackTargetUnavailableException("cannot roll back " + where + ": the verified image "
                        + verified.image() + " is not an ECR image pinned by digest"));
        if (registry.pushedAt(image).isEmpty()) {
            throw new RollbackTargetUnavailableException("cannot roll back " + where + ": the last verified image "
                    + verified.image() + " is no longer in ECR repository " + image.repository()
                    + " (deleted, or expired by a lifecycle rule); the service was not changed");
        }
        String revision = ecs.usableRevision(verified.taskDefinition(), new DeploymentId(verified.deploymentId())).arn();
        return deploy.update(target, revision, verified.image());
    }
}
