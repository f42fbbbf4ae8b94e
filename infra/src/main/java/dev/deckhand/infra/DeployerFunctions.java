package dev.deckhand.infra;

import java.util.List;
import java.util.Set;
import software.amazon.awscdk.Duration;

/**
 * The deployer's handlers: the table the stack deploys, one line per function. Adding a handler
 * is adding a line here; the stack gives it a role, a log group, a SnapStart alias and the
 * substitution {@code ${<Name>FunctionArn}} in the definition.
 *
 * <p>Memory: 1024 MB for every handler. They are I/O bound (AWS API calls, HTTP probes), but
 * Lambda allocates CPU in proportion to memory and a JVM's class loading and JIT on cold start
 * or restore are CPU bound; at a few invocations per deployment the cost is negligible.
 */
public final class DeployerFunctions {

    static final int MEMORY_MB = 1024;

    /** The handlers that exist today. */
    public static final List<FunctionSpec> ALL = List.of(
            // Reads the configuration (SSM, cached) and decides: a few hundred ms at most.
            new FunctionSpec("ResolveEnvironment", "dev.deckhand.resolve.ResolveEnvironmentHandler::handleRequest",
                    MEMORY_MB, Duration.seconds(30), null, Set.of(),
                    "Deckhand resolve-env: maps an ECR push or a promotion to its target, or ignores it"));

    private DeployerFunctions() {
    }
}
