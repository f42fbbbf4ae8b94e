package dev.deckhand.resolve;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.deployment.ImageRegistry;
import dev.deckhand.deployment.Trigger;
import dev.deckhand.errors.RollbackRefusedException;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.json.SnapStartPriming;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * resolve-env: the first step of the deployer. Maps an ECR push event or a promotion request to
 * the target it deploys to, or to {@code IGNORED} with the reason; a rollback request to the image
 * it returns to ({@link RollbackTargets}). The rules live in
 * {@link EnvironmentResolver}.
 */
public final class ResolveEnvironmentHandler implements RequestStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ResolveEnvironmentHandler.class);

    private final ConfigurationSource configuration;
    private final ImageRegistry registry;
    private final Supplier<DeploymentHistory> history;
    private RollbackTargets rollbacks;

    /**
     * Used by the Lambda runtime: configuration from the environment the CDK app sets. The history's
     * DynamoDB client is built for the first rollback request: a push never reads it, and building
     * an SDK client is a good part of a cold start.
     */
    public ResolveEnvironmentHandler() {
        this(Environment.wiring().configurationSource(), Environment.wiring().imageRegistry(),
                () -> Environment.wiring().history());
    }

    /**
     * Without a registry: a push is as new as its event's whole-second time; without a history a
     * rollback cannot be resolved (tests, {@code deckhand resolve}).
     */
    public ResolveEnvironmentHandler(ConfigurationSource configuration) {
        this(configuration, image -> Optional.empty(), (DeploymentHistory) null);
    }

    /** Without a history: a rollback request is refused (it is resolved from the history). */
    public ResolveEnvironmentHandler(ConfigurationSource configuration, ImageRegistry registry) {
        this(configuration, registry, (DeploymentHistory) null);
    }

    public ResolveEnvironmentHandler(ConfigurationSource configuration, ImageRegistry registry,
            DeploymentHistory history) {
        this(configuration, registry, history == null ? null : () -> history);
    }

    /** With the history built on the first rollback request (the runtime's constructor; tests). */
    ResolveEnvironmentHandler(ConfigurationSource configuration, ImageRegistry registry,
            Supplier<DeploymentHistory> history) {
        this.configuration = configuration;
        this.registry = registry;
        this.history = history;
        SnapStartPriming.register();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        JsonHandler.handle(input, output, context, this::resolve);
    }

    private synchronized RollbackTargets rollbacks() {
        if (rollbacks == null) {
            rollbacks = new RollbackTargets(history.get(), registry);
        }
        return rollbacks;
    }

    /** The decision for one input; what {@link #handleRequest} writes as JSON. */
    public Resolution resolve(JsonNode input) {
        DeploymentRequest request = DeploymentRequestParser.parse(input);
        Resolution resolution;
        if (request instanceof DeploymentRequest.RollbackRequested rollback) {
            if (history == null) {
                throw new RollbackRefusedException("a rollback is resolved from the deployment history, which "
                        + "this resolver does not read");
            }
            resolution = rollbacks().resolve(configuration.load(), rollback);
        } else {
            resolution = new EnvironmentResolver(configuration.load()).resolve(request);
        }
        if (resolution instanceof Resolution.Deploy deploy && deploy.target().trigger() == Trigger.PUSH
                && deploy.target().requestedAt() != null) {
            DeploymentTarget pushed = deploy.target();
            resolution = new Resolution.Deploy(pushed.withRequestedAt(RequestTime.ofPush(pushed.requestedAt(),
                    registry.pushedAt(pushed.image()))));
        }
        if (resolution instanceof Resolution.Deploy deploy) {
            DeploymentTarget target = deploy.target();
            MDC.put("correlation_id", target.deploymentId().value());
            LOG.info("Deploying {} to {}/{}: {}", target.image().uri(), target.service(), target.environment(),
                    target.reason());
        } else {
            LOG.info("Ignored: {}", ((Resolution.Ignored) resolution).reason());
        }
        return resolution;
    }
}
