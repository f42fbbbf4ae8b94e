package dev.deckhand.aws;

import dev.deckhand.deployment.DeploymentTarget;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A function's service for each deployment target: the home account's for a target there; for a
 * cross-account target, one built on clients acting as its deployment role (session named after
 * the function and the deployment, credentials cached by {@link AssumedRoles}), kept for the
 * container's few most recent deployments.
 */
public final class TargetClients {

    private static final int RECENT_DEPLOYMENTS = 8;

    private TargetClients() {
    }

    public static <S> Function<DeploymentTarget, S> perTarget(AwsClients home, AssumedRoles roles, String function,
            Function<AwsClients, S> build) {
        S atHome = build.apply(home);
        Map<String, S> recent = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, S> eldest) {
                return size() > RECENT_DEPLOYMENTS;
            }
        });
        return target -> target.roleArn() == null ? atHome
                : recent.computeIfAbsent(target.roleArn() + " " + target.deploymentId().value(),
                        key -> build.apply(home.withCredentials(
                                roles.credentials(target.roleArn(), function, target.deploymentId().value()))));
    }
}
