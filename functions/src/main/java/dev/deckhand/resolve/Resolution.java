package dev.deckhand.resolve;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.deckhand.deployment.DeploymentTarget;

/** resolve-env's decision: deploy to a target, or ignore the input and say why. */
public sealed interface Resolution {

    /** {@code DEPLOY} or {@code IGNORED}; the state machine's first Choice reads it. */
    @JsonProperty("outcome")
    String outcome();

    /**
     * Deploy to a target. The target's fields are written beside {@code outcome}, so the
     * definition's {@code $target} is this whole result, as the later steps expect.
     */
    @JsonPropertyOrder({"outcome", "target"})
    record Deploy(@JsonUnwrapped DeploymentTarget target) implements Resolution {

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
