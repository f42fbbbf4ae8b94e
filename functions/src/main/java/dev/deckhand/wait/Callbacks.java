package dev.deckhand.wait;

/** Wakes a task that waits for its token (Step Functions' SendTaskSuccess). */
public interface Callbacks {

    /**
     * Completes the task of {@code token} with {@code output} (JSON).
     *
     * @return {@code false} when the task no longer waits (it ended, timed out, or was stopped)
     */
    boolean wake(String token, String output);
}
