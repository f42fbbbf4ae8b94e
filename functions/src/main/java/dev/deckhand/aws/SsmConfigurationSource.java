package dev.deckhand.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.errors.ConfigurationUnavailableException;
import dev.deckhand.json.DeckhandJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Reads {@code deckhand.yml} from the SSM parameter the CDK app writes (SSM GetParameter). The
 * text is cached for five minutes per container, so a configuration change reaches every warm
 * container within five minutes of {@code cdk deploy}.
 */
public final class SsmConfigurationSource implements ConfigurationSource {

    static final Duration CACHE = Duration.ofMinutes(5);

    private final AwsJsonClient ssm;
    private final String parameterName;
    private final Clock clock;
    private String cachedText;
    private Instant cachedAt;

    public SsmConfigurationSource(AwsJsonClient ssm, String parameterName) {
        this(ssm, parameterName, Clock.systemUTC());
    }

    SsmConfigurationSource(AwsJsonClient ssm, String parameterName, Clock clock) {
        this.ssm = ssm;
        this.parameterName = parameterName;
        this.clock = clock;
    }

    @Override
    public DeckhandConfiguration load() {
        return ConfigurationLoader.parse(text(), "SSM parameter " + parameterName);
    }

    private synchronized String text() {
        Instant now = clock.instant();
        if (cachedText != null && now.isBefore(cachedAt.plus(CACHE))) {
            return cachedText;
        }
        JsonNode answer;
        try {
            // API_GetParameter: the value is Parameter.Value; a missing name is ParameterNotFound.
            answer = ssm.call("GetParameter", DeckhandJson.MAPPER.createObjectNode().put("Name", parameterName));
        } catch (AwsServiceException e) {
            if (AwsCalls.isError(e, "ParameterNotFound")) {
                throw new ConfigurationUnavailableException("SSM parameter " + parameterName + " does not exist");
            }
            throw unavailable(e);
        } catch (SdkException e) {
            throw unavailable(e);
        }
        JsonNode value = answer.path("Parameter").path("Value");
        if (!value.isTextual()) {
            throw new ConfigurationUnavailableException("SSM parameter " + parameterName + " has no value");
        }
        cachedText = value.asText();
        cachedAt = now;
        return cachedText;
    }

    private ConfigurationUnavailableException unavailable(SdkException e) {
        return new ConfigurationUnavailableException("cannot read the configuration from SSM parameter "
                + parameterName + ": " + e.getMessage(), e);
    }
}
