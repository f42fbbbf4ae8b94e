package dev.deckhand.verify;

import dev.deckhand.config.DeckhandConfiguration;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Whether Deckhand's deploy role may pass a role to ECS. The one place verify encodes the rule the
 * CDK app grants (infra EcsPermissions: {@code iam:PassRole} on the {@code taskRoleArn} and
 * {@code executionRoleArn} every environment of the configuration names, to ecs-tasks only); a
 * change of that rule changes this method.
 */
public final class PassableRoles {

    private PassableRoles() {
    }

    public static boolean covers(DeckhandConfiguration configuration, String roleArn) {
        return configuration.services().values().stream()
                .flatMap(service -> service.environments().values().stream())
                .flatMap(environment -> Stream.of(environment.taskRoleArn(), environment.executionRoleArn()))
                .filter(Objects::nonNull)
                .anyMatch(roleArn::equals);
    }
}
