package dev.deckhand.coordinate;

/** What an execution waiting for a target's lock does next, decided by {@link Locks#decide}. */
public enum LockDecision {
    /** It holds the lock (just taken, or already its own after a redrive): deploy. */
    HOLD,
    /** Another deployment holds the lock and this one is the newest waiting: poll again later. */
    WAIT,
    /** A newer deployment asked for this target: give up without changing anything. */
    SUPERSEDED
}
