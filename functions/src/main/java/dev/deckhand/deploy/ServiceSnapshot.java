package dev.deckhand.deploy;

import java.util.List;
import java.util.Optional;

/**
 * What DescribeServices says about a service at one instant.
 *
 * @param recentEvents the service's newest event messages first, for diagnostics
 */
public record ServiceSnapshot(String serviceArn, String status, List<EcsDeployment> deployments, List<String> recentEvents) {

    public ServiceSnapshot {
        deployments = List.copyOf(deployments);
        recentEvents = List.copyOf(recentEvents);
    }

    public Optional<EcsDeployment> deployment(String id) {
        return deployments.stream().filter(deployment -> deployment.id().equals(id)).findFirst();
    }

    public Optional<EcsDeployment> primary() {
        return deployments.stream().filter(EcsDeployment::isPrimary).findFirst();
    }
}
