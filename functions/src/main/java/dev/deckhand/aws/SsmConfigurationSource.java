package dev.deckhand.aws;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.errors.ConfigurationUnavailableException;
import java.time.temporal.ChronoUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.lambda.powertools.parameters.ssm.SSMProvider;

/**
 * Reads {@code deckhand.yml} from the SSM parameter the CDK app writes, through Powertools
 * Parameters. The text is cached for five minutes per container, so a configuration change
 * reaches every warm container within five minutes of {@code cdk deploy}.
 */
public final class SsmConfigurationSource implements ConfigurationSource {

    static final int CACHE_MINUTES = 5;

    private final SSMProvider parameters;
    private final String parameterName;

    public SsmConfigurationSource(SsmClient ssm, String parameterName) {
        this.parameters = SSMProvider.builder().withClient(ssm).build();
        this.parameterName = parameterName;
    }

    @Override
    public DeckhandConfiguration load() {
        String text;
        try {
            text = parameters.withMaxAge(CACHE_MINUTES, ChronoUnit.MINUTES).get(parameterName);
        } catch (SdkException e) {
            throw new ConfigurationUnavailableException("cannot read the configuration from SSM parameter "
                    + parameterName + ": " + e.getMessage(), e);
        }
        if (text == null) {
            throw new ConfigurationUnavailableException("SSM parameter " + parameterName + " does not exist");
        }
        return ConfigurationLoader.parse(text, "SSM parameter " + parameterName);
    }
}
