package dev.deckhand.verify;

import java.util.List;
import java.util.Optional;

/** What {@code deckhand verify} reads from AWS, read-only. Implemented over the SDK in {@code dev.deckhand.aws}. */
public interface Preconditions {

    /** The cluster's status ({@code ACTIVE}, {@code INACTIVE}…), empty when it does not exist. */
    Optional<String> clusterStatus(String cluster);

    /** The service's status and the revision its PRIMARY deployment runs; empty when it does not exist. */
    Optional<LiveService> service(String cluster, String service);

    /** A revision's status, containers, the roles it names and the secrets its containers read. */
    LiveTaskDefinition taskDefinition(String taskDefinitionArn);

    boolean repositoryExists(String repository);

    /** Why the secret cannot be read (missing, access denied), empty when it can; its value is never kept. */
    Optional<String> secretProblem(String secretId);

    record LiveService(String status, String taskDefinition) {
    }

    /**
     * @param roles the task role and task execution role it names
     * @param secrets the {@code valueFrom} of its containers' secrets (Secrets Manager ARNs or SSM parameters)
     */
    record LiveTaskDefinition(String status, List<String> containers, List<String> roles, List<String> secrets) {
    }
}
