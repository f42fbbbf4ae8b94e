package dev.deckhand.rollback;

import dev.deckhand.deploy.DeployService;
import dev.deckhand.deploy.Rollout;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.errors.NothingToRollBackException;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.history.VerifiedRevision;

/**
 * Returns a service to the revision Deckhand last verified healthy for it — not merely the
 * previous one, which may never have worked. The state machine then waits for that rollout and
 * verifies health again, as for any deployment.
 */
public final class RollbackService {

    private final DeploymentHistory history;
    private final DeployService deploy;

    public RollbackService(DeploymentHistory history, DeployService deploy) {
        this.history = history;
        this.deploy = deploy;
    }

    /** @throws NothingToRollBackException on a first deployment: nothing was ever verified here */
    public Rollout start(DeploymentTarget target) {
        VerifiedRevision verified = history.lastVerified(target.service(), target.environment())
                .orElseThrow(() -> new NothingToRollBackException("nothing to roll back to: Deckhand never verified a "
                        + "revision of " + target.service() + "/" + target.environment() + " healthy (first deployment)"));
        return deploy.update(target, verified.taskDefinition(), verified.image());
    }
}
