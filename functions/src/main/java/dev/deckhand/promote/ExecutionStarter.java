package dev.deckhand.promote;

/** Starts a deployer execution (Step Functions StartExecution). */
@FunctionalInterface
public interface ExecutionStarter {

    /** @return the execution ARN */
    String start(String input);
}
