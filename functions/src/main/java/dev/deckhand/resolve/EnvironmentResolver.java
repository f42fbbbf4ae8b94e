package dev.deckhand.resolve;

import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.config.EnvironmentDefinition;
import dev.deckhand.config.ServiceDefinition;
import dev.deckhand.config.TagPattern;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.deployment.ApprovalGate;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.deployment.ImageRef;
import dev.deckhand.deployment.Trigger;
import dev.deckhand.errors.PromotionRefusedException;
import dev.deckhand.resolve.DeploymentRequest.ArtifactPushed;
import dev.deckhand.resolve.DeploymentRequest.ImagePushed;
import dev.deckhand.resolve.DeploymentRequest.OtherImageAction;
import dev.deckhand.resolve.DeploymentRequest.PromotionRequested;
import dev.deckhand.resolve.Resolution.Ignored;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides where a request deploys. The rules, in order (the README repeats them for users):
 * <ol>
 *   <li>An ECR action other than a successful push (a delete, a failed push) is ignored; so is
 *       the push of an OCI artifact that is not a container image (Helm chart, signature, SBOM).</li>
 *   <li>A push to a repository no service uses is ignored; so is a push without a tag.</li>
 *   <li>Of the environments that take the repository, in the order the configuration lists them,
 *       the first with a {@code deployOnPush} pattern matching the whole tag wins; none → ignored.</li>
 *   <li>A promotion deploys to {@code to} the exact image given, if {@code to} declares
 *       {@code promoteFrom: <from>} and the image comes from {@code from}'s repository; otherwise
 *       it is refused.</li>
 * </ol>
 * Pure: no I/O, so every rule is tested with tables of cases.
 */
public final class EnvironmentResolver {

    private final DeckhandConfiguration configuration;

    public EnvironmentResolver(DeckhandConfiguration configuration) {
        this.configuration = configuration;
    }

    public Resolution resolve(DeploymentRequest request) {
        if (request instanceof ImagePushed push) {
            return resolvePush(push);
        }
        if (request instanceof PromotionRequested promotion) {
            return resolvePromotion(promotion);
        }
        if (request instanceof DeploymentRequest.RollbackRequested) {
            throw new IllegalArgumentException("a rollback is resolved from the deployment history, by RollbackTargets");
        }
        if (request instanceof ArtifactPushed artifact) {
            return new Ignored("the push is " + artifact.kind() + " (artifact-media-type '"
                    + artifact.artifactMediaType() + "'), not a container image; only container images deploy",
                    artifact.repository(), artifact.tag());
        }
        OtherImageAction action = (OtherImageAction) request;
        return new Ignored("ECR action " + action.actionType() + " with result " + action.result()
                + " does not deploy; only a successful PUSH does", action.repository(), null);
    }

    private Resolution resolvePush(ImagePushed push) {
        Optional<ServiceDefinition> owner = configuration.serviceForRepository(push.repository());
        if (owner.isEmpty()) {
            return new Ignored("repository '" + push.repository() + "' is not configured for any service",
                    push.repository(), push.tag());
        }
        ServiceDefinition service = owner.get();
        if (push.tag() == null) {
            return new Ignored("the image was pushed without a tag; deployOnPush rules match tags",
                    push.repository(), null);
        }
        for (EnvironmentDefinition environment : service.environments().values()) {
            if (!environment.repository().equals(push.repository())) {
                continue;
            }
            Optional<TagPattern> pattern = environment.patternMatching(push.tag());
            if (pattern.isPresent()) {
                ImageRef image = new ImageRef(ImageRef.registryOf(push.account(), push.region()),
                        push.repository(), push.digest(), push.tag());
                return target(service, environment, image, Trigger.PUSH, null,
                        "tag '" + push.tag() + "' matches deployOnPush pattern '" + pattern.get() + "' of environment "
                                + environment.name(), push.time());
            }
        }
        return new Ignored("tag '" + push.tag() + "' matches no deployOnPush pattern of service " + service.name()
                + " (" + describePatterns(service, push.repository()) + ")", push.repository(), push.tag());
    }

    private Resolution resolvePromotion(PromotionRequested promotion) {
        ServiceDefinition service = configuration.service(promotion.service()).orElseThrow(() ->
                new PromotionRefusedException("unknown service '" + promotion.service() + "' (configured: "
                        + String.join(", ", configuration.services().keySet()) + ")"));
        EnvironmentDefinition from = environment(service, promotion.from());
        EnvironmentDefinition to = environment(service, promotion.to());
        if (!to.promotableFrom(from.name())) {
            throw new PromotionRefusedException("environment '" + to.name() + "' of service " + service.name()
                    + (to.promoteFrom() == null
                            ? " is not reached by promotion"
                            : " is promoted from '" + to.promoteFrom() + "', not from '" + from.name() + "'"));
        }
        if (!promotion.image().repository().equals(from.repository())) {
            throw new PromotionRefusedException("image repository '" + promotion.image().repository()
                    + "' is not the repository of " + service.name() + "/" + from.name() + " ('"
                    + from.repository() + "')");
        }
        String breakGlass = null;
        if (promotion.breakGlass() != null) {
            // Checked again here: an execution started by hand must not override a freeze the API would not.
            if (!to.mayBreakGlass(promotion.requestedBy())) {
                throw new PromotionRefusedException((promotion.requestedBy() == null ? "an anonymous request"
                        : promotion.requestedBy()) + " may not override the freeze of " + service.name() + "/"
                        + to.name() + " (breakGlass names who may)");
            }
            breakGlass = "by " + promotion.requestedBy() + ": " + promotion.breakGlass();
        }
        return target(service, to, promotion.image(), Trigger.PROMOTE, promotion.requestedBy(),
                "promotion of " + service.name() + " from " + from.name() + " to " + to.name()
                        + (breakGlass == null ? "" : "; break-glass override of the freeze " + breakGlass), null,
                breakGlass);
    }

    private static EnvironmentDefinition environment(ServiceDefinition service, String name) {
        return service.environment(name).orElseThrow(() -> new PromotionRefusedException(
                "service " + service.name() + " has no environment '" + name + "' (environments: "
                        + String.join(", ", service.environments().keySet()) + ")"));
    }

    static Resolution.Deploy target(ServiceDefinition service, EnvironmentDefinition environment,
            ImageRef image, Trigger trigger, String requestedBy, String reason, Instant requestedAt) {
        return target(service, environment, image, trigger, requestedBy, reason, requestedAt, null);
    }

    /** @param breakGlass who overrides the environment's freeze and why, or {@code null} */
    static Resolution.Deploy target(ServiceDefinition service, EnvironmentDefinition environment,
            ImageRef image, Trigger trigger, String requestedBy, String reason, Instant requestedAt, String breakGlass) {
        return new Resolution.Deploy(new DeploymentTarget(
                DeploymentId.of(service.name(), environment.name(), image.digest()),
                trigger,
                requestedBy,
                service.name(),
                environment.name(),
                environment.cluster(),
                environment.ecsService(),
                service.container(),
                image,
                environment.healthCheck(),
                environment.migration(),
                environment.verification(),
                environment.notifications(),
                reason,
                requestedAt,
                environment.roleArn(),
                // A deliberate rollback returns to a revision the environment verified; it is authorized
                // per environment like a promotion and never waits for a second person.
                environment.approval() == null || trigger == Trigger.ROLLBACK ? null
                        : new ApprovalGate(environment.approval().timeoutMinutes() * 60),
                environment.freeze(),
                breakGlass,
                environment.gate(),
                environment.strategy()));
    }

    private static String describePatterns(ServiceDefinition service, String repository) {
        return service.environments().values().stream()
                .filter(environment -> environment.repository().equals(repository))
                .map(environment -> environment.name() + ": " + (environment.deployOnPush().isEmpty()
                        ? "promotion only"
                        : environment.deployOnPush().stream().map(TagPattern::source).collect(Collectors.joining(", "))))
                .collect(Collectors.joining("; "));
    }
}
