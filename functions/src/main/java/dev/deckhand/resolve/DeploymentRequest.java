package dev.deckhand.resolve;

import dev.deckhand.deployment.ImageDigest;
import dev.deckhand.deployment.ImageRef;
import java.time.Instant;

/** What can ask resolve-env for a deployment, parsed and validated from the execution input. */
public sealed interface DeploymentRequest {

    /**
     * A successful ECR push ("ECR Image Action", {@code PUSH}, {@code SUCCESS}).
     *
     * @param tag the pushed tag, or {@code null} for a push by digest only
     * @param time the event's {@code time} (whole seconds), or {@code null} when the input has none
     */
    record ImagePushed(String account, String region, String repository, ImageDigest digest, String tag,
            Instant time) implements DeploymentRequest {

        public ImagePushed(String account, String region, String repository, ImageDigest digest, String tag) {
            this(account, region, repository, digest, tag, null);
        }
    }

    /**
     * A successful push of an OCI artifact that is not a container image (a Helm chart, a
     * signature, an SBOM…): its {@code artifact-media-type} is not an image configuration's. Never deploys.
     *
     * @param kind what it is, for people ("a Helm chart")
     */
    record ArtifactPushed(String repository, String tag, String artifactMediaType, String kind)
            implements DeploymentRequest {
    }

    /** Any other ECR image action: a delete, a failed push. Never deploys. */
    record OtherImageAction(String actionType, String result, String repository) implements DeploymentRequest {
    }

    /**
     * A request to deploy to {@code to} the image that succeeded in {@code from}.
     *
     * @param requestedBy who asked (an IAM principal ARN), or {@code null}
     */
    record PromotionRequested(String service, String from, String to, ImageRef image, String requestedBy,
            String breakGlass)
            implements DeploymentRequest {
    }

    /**
     * A deliberate rollback of an environment to an image it verified before.
     *
     * @param to the deployment id or image digest ({@code sha256:…}) to return to, or {@code null}
     *     for the newest verified image other than the one the environment last verified
     * @param requestedBy who asked (an IAM principal ARN), or {@code null}
     */
    record RollbackRequested(String service, String environment, String to, String requestedBy)
            implements DeploymentRequest {
    }
}
