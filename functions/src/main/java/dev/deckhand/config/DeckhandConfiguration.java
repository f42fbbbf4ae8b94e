package dev.deckhand.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The validated Deckhand configuration ({@code deckhand.yml}). Built only by
 * {@link ConfigurationLoader}, so every instance satisfies the rules the loader checks: names are
 * valid, each repository belongs to one service, every environment can be reached, promotions
 * name existing environments.
 */
public record DeckhandConfiguration(Map<String, ServiceDefinition> services) {

    public DeckhandConfiguration {
        services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
    }

    public Optional<ServiceDefinition> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /** The service that owns an ECR repository (its own or one of its environments'). */
    public Optional<ServiceDefinition> serviceForRepository(String repository) {
        return services.values().stream()
                .filter(service -> service.environments().values().stream()
                        .anyMatch(environment -> environment.repository().equals(repository)))
                .findFirst();
    }
}
