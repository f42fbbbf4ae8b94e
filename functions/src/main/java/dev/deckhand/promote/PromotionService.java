package dev.deckhand.promote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.deployment.ImageRegistry;
import dev.deckhand.errors.RollbackRefusedException;
import dev.deckhand.resolve.DeploymentRequest;
import dev.deckhand.resolve.RollbackTargets;
import dev.deckhand.freeze.AdHocFreeze;
import dev.deckhand.freeze.AdHocFreezeService;
import dev.deckhand.freeze.AdHocFreezes;
import dev.deckhand.freeze.FreezeSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.config.EnvironmentDefinition;
import dev.deckhand.config.NearestName;
import dev.deckhand.config.ServiceDefinition;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.deployment.ImageDigest;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.ClaimRecord;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.resolve.DeploymentRequestParser;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides and starts promotions (and deliberate rollbacks, the same kind of execution). A promotion is an ordinary execution of the deployer (same lock,
 * same rollback) whose input names the exact image, pinned by digest, and who asked. Every refusal
 * says exactly why, with the status the API answers: 403 for a caller the target environment's
 * {@code promoters} do not name, 404 for what does not exist, 409 for what the configuration or
 * the history does not allow now.
 */
public final class PromotionService {

    private final ConfigurationSource configuration;
    private final DeploymentHistory history;
    private final ExecutionStarter starter;
    private final RollbackTargets rollbacks;
    private final Clock clock;
    private final AdHocFreezeService adHocFreezes;

    /** Without a registry: a rollback's image is checked in ECR by resolve-env only, not before it starts. */
    public PromotionService(ConfigurationSource configuration, DeploymentHistory history, ExecutionStarter starter) {
        this(configuration, history, starter, image -> Optional.of(Instant.EPOCH));
    }

    public PromotionService(ConfigurationSource configuration, DeploymentHistory history, ExecutionStarter starter,
            ImageRegistry registry) {
        this(configuration, history, starter, registry, Clock.systemUTC());
    }

    /** @param clock what "now" is for soak times and freeze windows (the deployer's clock, whose times the history holds) */
    public PromotionService(ConfigurationSource configuration, DeploymentHistory history, ExecutionStarter starter,
            ImageRegistry registry, Clock clock) {
        this(configuration, history, starter, registry, clock, AdHocFreezes.NONE);
    }

    /** @param adHocFreezes the ad-hoc freezes, which refuse promotions like the configured windows */
    public PromotionService(ConfigurationSource configuration, DeploymentHistory history, ExecutionStarter starter,
            ImageRegistry registry, Clock clock, AdHocFreezes adHocFreezes) {
        this.configuration = configuration;
        this.history = history;
        this.starter = starter;
        this.rollbacks = new RollbackTargets(history, registry);
        this.clock = clock;
        this.adHocFreezes = new AdHocFreezeService(adHocFreezes, clock);
    }

    /**
     * Starts a deliberate rollback of {@code service/environment} to an image it verified before
     * ({@code to}: a deployment id or digest; {@code null}: the newest other than the last verified).
     * The target is decided here to refuse early, and again by resolve-env, which is authoritative.
     *
     * @throws PromotionRefused 404 for an unknown target, 409 for a rollback the history does not allow
     */
    public Promotion rollback(String service, String environment, String to, String requestedBy) {
        DeckhandConfiguration config = configuration.load();
        environment(service(config, service), environment);
        DeploymentRequest.RollbackRequested request =
                new DeploymentRequest.RollbackRequested(service, environment, to, requestedBy);
        DeploymentTarget target;
        try {
            target = rollbacks.resolve(config, request).target();
        } catch (RollbackRefusedException refused) {
            throw new PromotionRefused(409, refused.getMessage());
        }
        Optional<ClaimRecord> running = history.latestAttempt(target.deploymentId().value())
                .filter(attempt -> attempt.outcome() == Outcome.RUNNING);
        if (running.isPresent()) {
            throw new PromotionRefused(409, "a deployment of " + target.image().digest() + " to " + service + "/"
                    + environment + " is already running (" + running.get().executionArn() + ")");
        }
        ObjectNode input = DeckhandJson.MAPPER.createObjectNode();
        ObjectNode rollback = input.putObject("rollback").put("service", service).put("environment", environment);
        if (to != null) {
            rollback.put("to", to);
        }
        rollback.put("requestedBy", requestedBy);
        return new Promotion(target.deploymentId().value(), starter.start(input.toString()), target.image().uri());
    }

    /**
     * @param requestedBy the caller's IAM principal ARN, recorded in history and notifications
     * @throws PromotionRefused with the status and the reason
     */
    public Promotion promote(PromoteRequest request, String requestedBy) {
        DeckhandConfiguration config = configuration.load();
        ServiceDefinition service = service(config, request.service());
        EnvironmentDefinition from = environment(service, request.from());
        EnvironmentDefinition to = environment(service, request.to());
        if (!to.promotableBy(requestedBy)) {
            throw new PromotionRefused(403, requestedBy + " is not among the promoters of " + service.name() + "/"
                    + to.name());
        }
        if (!to.promotableFrom(from.name())) {
            throw new PromotionRefused(409, service.name() + "/" + to.name() + (to.promoteFrom() == null
                    ? " is not reached by promotion"
                    : " is promoted from " + to.promoteFrom() + ", not from " + from.name()));
        }
        boolean breakGlass = checkFreeze(service, to, request, requestedBy);
        Verified verified = request.digest() == null ? lastVerified(service, from)
                : succeeded(service, from, request.digest());
        requireSoaked(service, from, to, verified);
        String image = verified.image();
        ImageDigest digest = new ImageDigest(image.substring(image.indexOf('@') + 1));
        DeploymentId deploymentId = DeploymentId.of(service.name(), to.name(), digest);
        Optional<ClaimRecord> running = history.latestAttempt(deploymentId.value())
                .filter(attempt -> attempt.outcome() == Outcome.RUNNING);
        if (running.isPresent()) {
            throw new PromotionRefused(409, "a deployment of " + digest + " to " + service.name() + "/" + to.name()
                    + " is already running (" + running.get().executionArn() + ")");
        }
        ObjectNode input = DeckhandJson.MAPPER.createObjectNode();
        ObjectNode promotion = input.putObject("promotion").put("service", service.name()).put("from", from.name())
                .put("to", to.name()).put("image", image).put("requestedBy", requestedBy);
        // The tag the image was pushed with, so the promotion's history says which build it is.
        sourceTag(service, from, digest).ifPresent(tag -> promotion.put("tag", tag));
        if (breakGlass) {
            promotion.put("breakGlass", request.breakGlass());
        }
        return new Promotion(deploymentId.value(), starter.start(input.toString()), image);
    }

    /**
     * Refuses a promotion into a freeze (409, saying until when), unless a principal the
     * environment's {@code breakGlass} names gives a reason; a reason from anyone else is refused (403).
     *
     * @return whether the promotion goes as a break-glass override (recorded in history and notifications)
     */
    private boolean checkFreeze(ServiceDefinition service, EnvironmentDefinition to, PromoteRequest request,
            String requestedBy) {
        Optional<FreezeSettings.Freeze> freeze = to.freeze() == null ? Optional.empty()
                : to.freeze().freezeAt(clock.instant());
        if (freeze.isEmpty()) {
            freeze = adHocFreezes.inForce(service.name(), to.name())
                    .map(adHoc -> new FreezeSettings.Freeze(adHoc.until(), adHoc.describe()));
        }
        if (freeze.isEmpty()) {
            return false;
        }
        String where = service.name() + "/" + to.name();
        if (request.breakGlass() == null) {
            throw new PromotionRefused(409, where + " is frozen by the " + freeze.get().reason()
                    + (freeze.get().until() == null ? "; promote again once it is unfrozen"
                            : "; promote again from " + freeze.get().until())
                    + (to.breakGlass().isEmpty() ? "" : ", or, if you are named in its breakGlass, give a reason "
                            + "as \"breakGlass\" to override the freeze"));
        }
        if (!to.mayBreakGlass(requestedBy)) {
            throw new PromotionRefused(403, requestedBy + " may not override the freeze of " + where
                    + " (its breakGlass names who may)");
        }
        return true;
    }

    /**
     * Checks that the configuration has this service and environment, as history and status need.
     *
     * @throws PromotionRefused 404, naming what is configured and the likely intended name
     */
    public void requireTarget(String service, String environment) {
        environment(service(configuration.load(), service), environment);
    }

    /**
     * Checks what a freeze names: a configured service and environment, or {@code all} and an
     * environment some service has.
     *
     * @throws PromotionRefused 404, naming what is configured
     */
    public void requireFreezable(String service, String environment) {
        DeckhandConfiguration config = configuration.load();
        if (!service.equals(AdHocFreeze.ALL)) {
            environment(service(config, service), environment);
            return;
        }
        Set<String> environments = new TreeSet<>();
        config.services().values().forEach(definition -> environments.addAll(definition.environments().keySet()));
        if (!environments.contains(environment)) {
            throw new PromotionRefused(404, "no service has an environment '" + environment + "'"
                    + didYouMean(environment, environments) + " (environments: " + String.join(", ", environments)
                    + ")");
        }
    }

    /**
     * The configuration, after checking the service (when not null) and its environment (when not
     * null) are in it, as the metrics need.
     *
     * @throws PromotionRefused 404, naming what is configured and the likely intended name
     */
    public DeckhandConfiguration requireTargets(String service, String environment) {
        DeckhandConfiguration config = configuration.load();
        if (service != null) {
            ServiceDefinition definition = service(config, service);
            if (environment != null) {
                environment(definition, environment);
            }
        }
        return config;
    }

    private static ServiceDefinition service(DeckhandConfiguration config, String name) {
        return config.service(name).orElseThrow(() -> new PromotionRefused(404, "unknown service '" + name + "'"
                + didYouMean(name, config.services().keySet()) + " (configured: "
                + String.join(", ", config.services().keySet()) + ")"));
    }

    private static EnvironmentDefinition environment(ServiceDefinition service, String name) {
        return service.environment(name).orElseThrow(() -> new PromotionRefused(404, "service " + service.name()
                + " has no environment '" + name + "'" + didYouMean(name, service.environments().keySet())
                + " (environments: " + String.join(", ", service.environments().keySet()) + ")"));
    }

    private static String didYouMean(String name, Collection<String> known) {
        return NearestName.of(name, known).map(nearest -> "; did you mean '" + nearest + "'?").orElse("");
    }

    private Optional<String> sourceTag(ServiceDefinition service, EnvironmentDefinition from, ImageDigest digest) {
        String id = DeploymentId.of(service.name(), from.name(), digest).value();
        return history.latestAttempt(id).flatMap(latest -> history.attempt(id, latest.attempt()))
                .map(AttemptRecord::tag);
    }

    private Verified lastVerified(ServiceDefinition service, EnvironmentDefinition from) {
        return history.lastVerified(service.name(), from.name())
                .map(verified -> new Verified(verified.image(), verified.verifiedAt()))
                .orElseThrow(() -> new PromotionRefused(409, "nothing has deployed successfully to "
                        + service.name() + "/" + from.name() + " yet"));
    }

    /** An image verified in the source environment, and when. */
    private record Verified(String image, Instant at) {
    }

    /**
     * Soak time: the image must have been verified in {@code from} at least {@code soakMinutes} ago.
     *
     * @throws PromotionRefused 409 saying when it may go
     */
    private void requireSoaked(ServiceDefinition service, EnvironmentDefinition from, EnvironmentDefinition to,
            Verified verified) {
        if (to.soakMinutes() == 0) {
            return;
        }
        Duration soak = Duration.ofMinutes(to.soakMinutes());
        Instant mayGo = verified.at().plus(soak);
        Instant now = clock.instant();
        if (now.isBefore(mayGo)) {
            long minutes = (Duration.between(now, mayGo).getSeconds() + 59) / 60;
            throw new PromotionRefused(409, service.name() + "/" + to.name() + " takes images that soaked "
                    + to.soakMinutes() + " min in " + from.name() + "; " + verified.image().substring(
                            verified.image().indexOf('@') + 1) + " was verified there at " + verified.at()
                    + ", so it may go at " + mayGo + " (in " + minutes + " min)", mayGo);
        }
    }

    /** The image of {@code digest} if some attempt deployed it successfully to {@code from}. */
    private Verified succeeded(ServiceDefinition service, EnvironmentDefinition from, String digest) {
        if (!ImageDigest.isValid(digest)) {
            throw new PromotionRefused(400, "digest " + DeploymentRequestParser.quote(digest)
                    + " is not sha256: and 64 hex digits");
        }
        String id = DeploymentId.of(service.name(), from.name(), new ImageDigest(digest)).value();
        int attempts = history.latestAttempt(id).map(ClaimRecord::attempt).orElse(0);
        for (int attempt = attempts; attempt >= 1; attempt--) {
            Optional<AttemptRecord> record = history.attempt(id, attempt);
            if (record.isPresent() && record.get().outcome() == Outcome.SUCCEEDED) {
                return new Verified(record.get().image(), record.get().finishedAt());
            }
        }
        throw new PromotionRefused(409, digest + " never deployed successfully to " + service.name() + "/"
                + from.name());
    }
}
