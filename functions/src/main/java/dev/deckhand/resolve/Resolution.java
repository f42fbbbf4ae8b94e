package dev.deckhand.resolve;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.deckhand.config.HealthCheckSettings;
import dev.deckhand.config.MigrationSettings;
import dev.deckhand.config.NotificationSettings;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.deployment.ImageRef;
import dev.deckhand.deployment.Trigger;
import java.time.Instant;

/** resolve-env's decision: deploy to a target, or ignore the input and say why. */
public sealed interface Resolution {

    /** {@code DEPLOY} or {@code IGNORED}; the state machine's first Choice reads it. */
    @JsonProperty("outcome")
    String outcome();

    /**
     * Everything the deployment steps need to know about where the image goes.
     *
     * @param container the container to update, or {@code null} when the task has exactly one
     * @param requestedBy who asked for a promotion, or {@code null} for a push
     * @param healthCheck {@code null} when the environment trusts the ECS rollout alone
     * @param migration {@code null} when the environment has no migration
     * @param reason which rule chose this target, for people reading the execution
     * @param requestedAt when the request was made ({@link dev.deckhand.resolve.RequestTime}), or
     *     {@code null} when its execution's start is that time (a promotion, a console input without one)
     */
    @JsonPropertyOrder({"outcome", "deploymentId", "trigger", "service", "environment"})
    record DeploymentTarget(
            DeploymentId deploymentId,
            Trigger trigger,
            String requestedBy,
            String service,
            String environment,
            String cluster,
            String ecsService,
            String container,
            ImageRef image,
            HealthCheckSettings healthCheck,
            MigrationSettings migration,
            NotificationSettings notifications,
            String reason,
            Instant requestedAt) implements Resolution {

        public DeploymentTarget withRequestedAt(Instant time) {
            return new DeploymentTarget(deploymentId, trigger, requestedBy, service, environment, cluster, ecsService,
                    container, image, healthCheck, migration, notifications, reason, time);
        }

        @Override
        public String outcome() {
            return "DEPLOY";
        }
    }

    /**
     * An input that deploys nothing, which is not an error: a tag no environment takes, a
     * repository Deckhand does not manage, a delete or a failed push.
     *
     * @param repository the repository named by the input, or {@code null}
     * @param tag the tag named by the input, or {@code null}
     */
    @JsonPropertyOrder({"outcome", "reason"})
    record Ignored(String reason, String repository, String tag) implements Resolution {

        @Override
        public String outcome() {
            return "IGNORED";
        }
    }
}
