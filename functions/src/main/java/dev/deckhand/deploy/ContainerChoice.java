package dev.deckhand.deploy;

import dev.deckhand.errors.ContainerNotFoundException;
import java.util.List;

/** Which container of a task definition runs the deployed image. */
public final class ContainerChoice {

    private ContainerChoice() {
    }

    /**
     * The configured container, or the only one when none is configured.
     *
     * @throws ContainerNotFoundException naming the containers there are
     */
    public static String choose(List<String> containers, String configured, String taskDefinition) {
        if (configured != null) {
            if (!containers.contains(configured)) {
                throw new ContainerNotFoundException("task definition " + taskDefinition + " has no container '"
                        + configured + "' (containers: " + String.join(", ", containers) + ")");
            }
            return configured;
        }
        if (containers.size() != 1) {
            throw new ContainerNotFoundException("task definition " + taskDefinition + " has " + containers.size()
                    + " containers (" + String.join(", ", containers) + "); set 'container' for the service in "
                    + "deckhand.yml to say which one runs the image");
        }
        return containers.get(0);
    }
}
