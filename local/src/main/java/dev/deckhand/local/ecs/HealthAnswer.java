package dev.deckhand.local.ecs;

/** What a simulated service answers to an HTTP request at one instant. */
sealed interface HealthAnswer {

    /** An HTTP response with a small JSON body. */
    record Respond(int status, String body) implements HealthAnswer {
    }

    /** The connection is accepted and nothing is answered (an application that hangs). */
    record NoAnswer() implements HealthAnswer {
    }
}
