package dev.deckhand.local.deployer;

import dev.deckhand.catalogue.DeployerFunction;

/** The local names of the catalogue's functions ({@code deckhand-<short name>}), for tests to refer to. */
final class Functions {

    static final String DEPLOY = name(DeployerFunction.DEPLOY);
    static final String HEALTH_CHECK = name(DeployerFunction.HEALTH_CHECK);
    static final String NOTIFY = name(DeployerFunction.NOTIFY);
    static final String LOCK_CLEANUP = name(DeployerFunction.LOCK_CLEANUP);
    static final String WAIT_ROUTER = name(DeployerFunction.WAIT_ROUTER);

    private Functions() {
    }

    static String name(DeployerFunction function) {
        return "deckhand-" + function.shortName();
    }
}
