package dev.deckhand.deployment;

/**
 * What the deployer needs of an environment's approval: how long "Wait for approval" waits. Who may
 * answer is the API's business, read from the configuration when the answer comes.
 *
 * @param timeoutSeconds the state's TimeoutSeconds; when it passes, the deployment ends EXPIRED
 */
public record ApprovalGate(int timeoutSeconds) {
}
