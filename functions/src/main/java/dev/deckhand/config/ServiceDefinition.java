package dev.deckhand.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A service Deckhand deploys: its image's container and its environments, in the order the
 * configuration lists them (the order decides which environment wins when several match a tag).
 *
 * @param container the task definition's container that runs the image, or {@code null} when the
 *     task definition has exactly one container
 */
public record ServiceDefinition(String name, String container, Map<String, EnvironmentDefinition> environments) {

    public ServiceDefinition {
        environments = Collections.unmodifiableMap(new LinkedHashMap<>(environments));
    }

    public Optional<EnvironmentDefinition> environment(String name) {
        return Optional.ofNullable(environments.get(name));
    }
}
