package dev.deckhand.migrate;

import java.util.List;
import java.util.Optional;

/**
 * A one-off ECS task at one instant (DescribeTasks).
 *
 * @param stopCode e.g. {@code EssentialContainerExited}, {@code TaskFailedToStart}, {@code UserInitiated}
 */
public record TaskSnapshot(String taskArn, String lastStatus, String stopCode, String stoppedReason,
        List<ContainerSnapshot> containers) {

    public TaskSnapshot {
        containers = List.copyOf(containers);
    }

    public Optional<ContainerSnapshot> container(String name) {
        return containers.stream().filter(container -> container.name().equals(name)).findFirst();
    }
}
