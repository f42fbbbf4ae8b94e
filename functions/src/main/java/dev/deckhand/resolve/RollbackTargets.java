package dev.deckhand.resolve;

import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.config.EnvironmentDefinition;
import dev.deckhand.config.ServiceDefinition;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.deployment.ImageDigest;
import dev.deckhand.deployment.ImageRef;
import dev.deckhand.deployment.ImageRegistry;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.deployment.Trigger;
import dev.deckhand.errors.RollbackRefusedException;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.ClaimRecord;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.history.VerifiedRevision;
import java.util.Optional;

/**
 * Where a deliberate rollback goes: an image the environment verified before (an attempt that
 * ended SUCCEEDED there), by default the newest one other than the image it last verified, or the
 * named deployment or digest. Anything never verified in that environment is refused, and so is
 * an image ECR no longer holds. Used by resolve-env (the decision) and by the API (to refuse
 * early, before an execution starts).
 */
public final class RollbackTargets {

    /** How many attempts of the environment, newest first, the default target is looked for in. */
    static final int SEARCHED_ATTEMPTS = 200;
    private static final int PAGE = 50;

    private final DeploymentHistory history;
    private final ImageRegistry registry;

    public RollbackTargets(DeploymentHistory history, ImageRegistry registry) {
        this.history = history;
        this.registry = registry;
    }

    /**
     * The target of the rollback: the environment's settings, the chosen image, migration skipped
     * (the schema already serves that image's code: it ran there before).
     *
     * @throws RollbackRefusedException with the one-line reason
     */
    public Resolution.Deploy resolve(DeckhandConfiguration configuration, DeploymentRequest.RollbackRequested request) {
        ServiceDefinition service = configuration.service(request.service()).orElseThrow(() ->
                new RollbackRefusedException("unknown service '" + request.service() + "' (configured: "
                        + String.join(", ", configuration.services().keySet()) + ")"));
        EnvironmentDefinition environment = service.environment(request.environment()).orElseThrow(() ->
                new RollbackRefusedException("service " + service.name() + " has no environment '"
                        + request.environment() + "' (environments: "
                        + String.join(", ", service.environments().keySet()) + ")"));
        AttemptRecord verified = chosen(service.name(), environment.name(), request.to());
        ImageRef image = ImageRef.parsePinned(verified.image(), verified.tag()).orElseThrow(() ->
                new RollbackRefusedException("cannot roll back to " + verified.image() + ": not an ECR image pinned by digest"));
        if (registry.pushedAt(image).isEmpty()) {
            throw new RollbackRefusedException("cannot roll back " + where(service.name(), environment.name()) + " to "
                    + image.uri() + ": it is no longer in ECR repository " + image.repository()
                    + " (deleted, or expired by a lifecycle rule)");
        }
        Resolution.Deploy deploy = EnvironmentResolver.target(service, environment, image, Trigger.ROLLBACK,
                request.requestedBy(), "rollback of " + where(service.name(), environment.name()) + " to "
                        + image.uri() + " (deployment " + verified.deploymentId() + ", verified " + verified.finishedAt()
                        + "); migration skipped", null);
        return new Resolution.Deploy(deploy.target().withoutMigration());
    }

    private AttemptRecord chosen(String service, String environment, String to) {
        if (to == null) {
            return previous(service, environment);
        }
        DeploymentId id = DeploymentId.isValid(to) ? new DeploymentId(to)
                : DeploymentId.of(service, environment, new ImageDigest(to));
        if (!id.value().startsWith(service + "." + environment + ".")) {
            throw new RollbackRefusedException("deployment " + to + " is not of " + where(service, environment));
        }
        int attempts = history.latestAttempt(id.value()).map(ClaimRecord::attempt).orElse(0);
        for (int attempt = attempts; attempt >= 1; attempt--) {
            Optional<AttemptRecord> record = history.attempt(id.value(), attempt);
            if (record.isPresent() && record.get().outcome() == Outcome.SUCCEEDED
                    && (!ImageDigest.isValid(to) || record.get().image().endsWith("@" + to))) {
                return record.get();
            }
        }
        throw new RollbackRefusedException(to + " was never verified in " + where(service, environment)
                + "; a rollback returns only to a deployment that succeeded there");
    }

    /** The newest verified attempt whose image is not the one the environment last verified. */
    private AttemptRecord previous(String service, String environment) {
        String current = history.lastVerified(service, environment).map(VerifiedRevision::image).orElse(null);
        if (current == null) {
            throw new RollbackRefusedException("nothing to roll back to: Deckhand never verified a revision of "
                    + where(service, environment));
        }
        String token = null;
        int seen = 0;
        do {
            DeploymentHistory.Page page = history.page(service, environment, PAGE, token);
            for (AttemptRecord attempt : page.attempts()) {
                if (attempt.outcome() == Outcome.SUCCEEDED && !attempt.image().equals(current)) {
                    return attempt;
                }
            }
            seen += page.attempts().size();
            token = page.nextToken();
        } while (token != null && seen < SEARCHED_ATTEMPTS);
        throw new RollbackRefusedException("nothing to roll back to: " + where(service, environment)
                + " verified no image other than " + current + " in its last " + seen + " attempts");
    }

    private static String where(String service, String environment) {
        return service + "/" + environment;
    }
}
