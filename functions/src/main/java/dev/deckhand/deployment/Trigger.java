package dev.deckhand.deployment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What asked for a deployment. */
public enum Trigger {
    /** An image pushed to ECR whose tag matches an environment's {@code deployOnPush}. */
    PUSH,
    /** A promotion of an image that succeeded in another environment. */
    PROMOTE,
    /** A deliberate return to an image the environment verified before ({@code deckhand rollback}). */
    ROLLBACK;

    @JsonCreator
    public static Trigger fromLabel(String label) {
        return valueOf(label.toUpperCase(java.util.Locale.ROOT));
    }

    @JsonValue
    public String label() {
        return name().toLowerCase();
    }
}
