package dev.deckhand.verify;

import java.util.List;
import java.util.Optional;

/**
 * What {@code deckhand verify} reads from AWS, read-only. Implemented over the SDK in {@code dev.deckhand.aws}.
 * A read the caller may not make throws {@link ReadRefused}.
 */
public interface Preconditions {

    /** The cluster's status ({@code ACTIVE}, {@code INACTIVE}…), empty when it does not exist. */
    Optional<String> clusterStatus(String cluster);

    /** The service's status and the revision its PRIMARY deployment runs; empty when it does not exist. */
    Optional<LiveService> service(String cluster, String service);

    /** A revision's status, containers, the roles it names and the secrets its containers read. */
    LiveTaskDefinition taskDefinition(String taskDefinitionArn);

    boolean repositoryExists(String repository);

    /** The repository's (access) policy text; empty when it has none. */
    Optional<String> repositoryPolicy(String repository);

    /**
     * The same reads acting as a cross-account environment's deployment role, as the functions do.
     *
     * @throws RoleNotAssumable with the reason (STS's answer) when the role cannot be assumed
     */
    Preconditions asRole(String roleArn);

    /** The caller may not make a read (AccessDenied); the message names the action and the answer. */
    final class ReadRefused extends RuntimeException {
        public ReadRefused(String message) {
            super(message);
        }
    }

    /** STS refused the deployment role to the caller. */
    final class RoleNotAssumable extends RuntimeException {
        public RoleNotAssumable(String reason) {
            super(reason);
        }
    }

    /** Whether the CloudWatch Logs group exists in {@code region} (the function's own region when null). */
    boolean logGroupExists(String group, String region);

    /** Why the secret cannot be read (missing, access denied), empty when it can; its value is never kept. */
    Optional<String> secretProblem(String secretId);

    record LiveService(String status, String taskDefinition) {
    }

    /**
     * @param roles the task role and task execution role it names
     * @param secrets the {@code valueFrom} of its containers' secrets (Secrets Manager ARNs or SSM parameters)
     * @param logGroups the groups its containers' awslogs drivers write to
     */
    record LiveTaskDefinition(String status, List<String> containers, List<String> roles, List<String> secrets,
            List<AwslogsGroup> logGroups) {
    }

    /**
     * An awslogs driver's destination: {@code awslogs-group} in {@code awslogs-region}; {@code createsGroup} when
     * {@code awslogs-create-group} is {@code true}, so the driver creates a missing group itself.
     */
    record AwslogsGroup(String container, String group, String region, boolean createsGroup) {
    }
}
