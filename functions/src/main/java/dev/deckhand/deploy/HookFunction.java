package dev.deckhand.deploy;

/**
 * Deckhand's lifecycle hook function as the stack deployed it, and the role ECS assumes to invoke
 * it (blue-green-permissions: the role trusts ecs.amazonaws.com and may lambda:InvokeFunction).
 */
public record HookFunction(String functionArn, String roleArn) {
}
