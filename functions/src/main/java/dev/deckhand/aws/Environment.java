package dev.deckhand.aws;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.ConfigurationSource;
import java.nio.file.Path;

/**
 * Wiring from the Lambda environment variables the CDK app sets. Used only by the handlers'
 * no-argument constructors; tests and the local cloud pass their ports in directly.
 */
public final class Environment {

    /** The SSM parameter holding {@code deckhand.yml}. */
    public static final String CONFIG_PARAMETER = "DECKHAND_CONFIG_PARAMETER";
    /** Alternatively, a file holding {@code deckhand.yml} (e.g. packaged with the function). */
    public static final String CONFIG_FILE = "DECKHAND_CONFIG_FILE";

    private Environment() {
    }

    public static ConfigurationSource configurationSource() {
        String parameter = System.getenv(CONFIG_PARAMETER);
        if (parameter != null && !parameter.isBlank()) {
            return new SsmConfigurationSource(AwsClients.fromEnvironment().ssm(), parameter);
        }
        String file = System.getenv(CONFIG_FILE);
        if (file != null && !file.isBlank()) {
            return () -> ConfigurationLoader.load(Path.of(file));
        }
        throw new IllegalStateException("set " + CONFIG_PARAMETER + " (an SSM parameter name) or " + CONFIG_FILE
                + " (a file path) to tell Deckhand where its configuration is");
    }
}
