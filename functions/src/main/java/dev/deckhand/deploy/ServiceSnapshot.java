package dev.deckhand.deploy;

import java.util.List;
import java.util.Optional;

/**
 * What DescribeServices says about a service at one instant.
 *
 * @param recentEvents the service's newest event messages first, for diagnostics
 * @param desiredCount the service's desired count of tasks (API_Service, desiredCount)
 */
public record ServiceSnapshot(String serviceArn, String status, List<EcsDeployment> deployments, List<String> recentEvents,
        int desiredCount) {

    public ServiceSnapshot {
        deployments = List.copyOf(deployments);
        recentEvents = List.copyOf(recentEvents);
    }

    /** A snapshot whose desired count is its PRIMARY deployment's. */
    public ServiceSnapshot(String serviceArn, String status, List<EcsDeployment> deployments, List<String> recentEvents) {
        this(serviceArn, status, deployments, recentEvents, deployments.stream().filter(EcsDeployment::isPrimary)
                .mapToInt(EcsDeployment::desiredCount).findFirst().orElse(0));
    }

    public Optional<EcsDeployment> deployment(String id) {
        return deployments.stream().filter(deployment -> deployment.id().equals(id)).findFirst();
    }

    public Optional<EcsDeployment> primary() {
        return deployments.stream().filter(EcsDeployment::isPrimary).findFirst();
    }
}
