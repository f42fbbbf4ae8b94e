package dev.deckhand.config;

/**
 * Where a handler gets the validated configuration from. In AWS it is an SSM parameter written by
 * the CDK app; locally and in tests it is a file or a value.
 */
@FunctionalInterface
public interface ConfigurationSource {

    /**
     * The current configuration.
     *
     * @throws dev.deckhand.errors.ConfigurationUnavailableException if it cannot be read
     * @throws dev.deckhand.errors.InvalidConfigurationException if it is invalid
     */
    DeckhandConfiguration load();

    static ConfigurationSource of(DeckhandConfiguration configuration) {
        return () -> configuration;
    }
}
