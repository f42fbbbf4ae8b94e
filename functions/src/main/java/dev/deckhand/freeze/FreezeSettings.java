package dev.deckhand.freeze;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An environment's freeze windows and what a deployment does when it meets one.
 *
 * @param windows the weekly windows; never empty (an environment without windows has no settings)
 * @param whenFrozen what a push (or a queued promotion) does when it would deploy during a freeze
 */
public record FreezeSettings(List<FreezeWindow> windows, WhenFrozen whenFrozen) {

    /** What a deployment that reaches a freeze does. */
    public enum WhenFrozen {
        /** Waits for the freeze to end (in a Wait state, so it costs nothing while it waits). */
        WAIT,
        /** Ends FAILED with the freeze as the reason; the service is untouched. */
        REFUSE
    }

    public FreezeSettings {
        windows = List.copyOf(windows);
    }

    /** A deployment waits at most this long for a freeze to end: the deployer's own timeout leaves room for it. */
    public static final Duration LONGEST_FREEZE = Duration.ofDays(7);

    /**
     * The longest freeze these windows make, touching windows joined (measured from each window's
     * start in the week of {@code around}; daylight-saving shifts move it by an hour at most).
     */
    public Duration longestFreeze(Instant around) {
        Duration longest = Duration.ZERO;
        for (FreezeWindow window : windows) {
            Instant start = window.startAtOrBefore(around);
            Optional<Freeze> freeze = freezeAt(start);
            if (freeze.isPresent() && Duration.between(start, freeze.get().until()).compareTo(longest) > 0) {
                longest = Duration.between(start, freeze.get().until());
            }
        }
        return longest;
    }

    /** The freeze in force at {@code now}, if any. */
    public Optional<Freeze> freezeAt(Instant now) {
        return Freeze.at(windows, now);
    }

    /**
     * A freeze in force.
     *
     * @param until when deployments may go again: the end of the chain of windows that contains now
     * @param reason which window, for people reading the history
     */
    public record Freeze(Instant until, String reason) {

        /** Windows may touch or overlap (FRI–SAT and SAT–MON); a freeze ends where none continues it. */
        static Optional<Freeze> at(List<FreezeWindow> windows, Instant now) {
            Instant until = null;
            FreezeWindow first = null;
            Instant at = now;
            // Bounded: each step moves past the end of a window, and there are few windows.
            for (int step = 0; step <= windows.size(); step++) {
                Instant next = null;
                for (FreezeWindow window : windows) {
                    Optional<Instant> end = window.endOfFreezeAt(at);
                    if (end.isPresent() && (next == null || end.get().isAfter(next))) {
                        next = end.get();
                        first = first == null ? window : first;
                    }
                }
                if (next == null) {
                    break;
                }
                until = next;
                at = next;
            }
            if (until == null) {
                return Optional.empty();
            }
            return Optional.of(new Freeze(until, "freeze window " + first + " (until " + until + ")"));
        }
    }
}
