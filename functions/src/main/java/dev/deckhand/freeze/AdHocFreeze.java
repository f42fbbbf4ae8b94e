package dev.deckhand.freeze;

import java.time.Instant;

/**
 * A freeze someone declared by hand ({@code deckhand freeze}), beside the configured windows.
 *
 * @param service the frozen service, or {@link #ALL} for every service's environment of that name
 * @param by the principal that froze it
 * @param until when it ends by itself, or {@code null}: until someone unfreezes it
 */
public record AdHocFreeze(String service, String environment, String reason, String by, Instant since,
        Instant until) {

    /** The service name that freezes the environment of every service. */
    public static final String ALL = "all";

    public boolean inForceAt(Instant now) {
        return until == null || now.isBefore(until);
    }

    /** What the history and a refusal say about it. */
    public String describe() {
        return "ad-hoc freeze of " + service + "/" + environment + " by " + by + " (" + reason + ", "
                + (until == null ? "until unfrozen" : "until " + until) + ")";
    }
}
