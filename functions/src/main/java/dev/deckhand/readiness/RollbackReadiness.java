package dev.deckhand.readiness;

import dev.deckhand.deployment.ImageRef;
import dev.deckhand.deployment.ImageRegistry;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.history.VerifiedRevision;

/**
 * Whether a service environment has a way back: a revision Deckhand verified on this very ECS
 * service, whose image is still in ECR. One check, run by the deployer before the service changes
 * (its answer is part of the release), by the rollback step before it changes the service, and by
 * {@code deckhand verify}. A deregistered revision does not make it unready: the rollback
 * registers an equivalent one from its description.
 */
public final class RollbackReadiness {

    private final DeploymentHistory history;
    private final ImageRegistry registry;

    public RollbackReadiness(DeploymentHistory history, ImageRegistry registry) {
        this.history = history;
        this.registry = registry;
    }

    /** The answer, with the sentence an operator reads. */
    public sealed interface Readiness {
        String summary();

        /** A rollback would return to {@code target}. */
        record Ready(VerifiedRevision target, ImageRef image) implements Readiness {
            @Override
            public String summary() {
                return "ready: a rollback would return to " + target.image() + " (" + target.taskDefinition()
                        + ", verified " + target.verifiedAt() + ")";
            }
        }

        /** Nothing was verified on this ECS service: a first deployment, or the environment moved. */
        record NothingVerified(String reason) implements Readiness {
            @Override
            public String summary() {
                return "not ready: " + reason;
            }
        }

        /** The verified image cannot be pulled again. */
        record ImageUnavailable(VerifiedRevision target, String reason) implements Readiness {
            @Override
            public String summary() {
                return "not ready: " + reason;
            }
        }
    }

    public Readiness check(String service, String environment, String cluster, String ecsService) {
        String where = service + "/" + environment;
        VerifiedRevision verified = history.lastVerified(service, environment).orElse(null);
        if (verified == null) {
            return new Readiness.NothingVerified("nothing to roll back to: Deckhand never verified a revision of "
                    + where + " healthy (first deployment)");
        }
        if (!verified.verifiedOn(cluster, ecsService)) {
            return new Readiness.NothingVerified("nothing to roll back to: the last revision verified for " + where
                    + " ran on ECS service " + verified.ecsService() + ", and this environment now deploys "
                    + VerifiedRevision.ecsService(cluster, ecsService) + ", where Deckhand has verified nothing");
        }
        ImageRef image = ImageRef.parsePinned(verified.image(), null).orElse(null);
        if (image == null) {
            return new Readiness.ImageUnavailable(verified, "cannot roll back " + where + ": the verified image "
                    + verified.image() + " is not an ECR image pinned by digest");
        }
        if (registry.pushedAt(image).isEmpty()) {
            return new Readiness.ImageUnavailable(verified, "cannot roll back " + where + ": the last verified image "
                    + verified.image() + " is no longer in ECR repository " + image.repository()
                    + " (deleted, or expired by a lifecycle rule)");
        }
        return new Readiness.Ready(verified, image);
    }
}
