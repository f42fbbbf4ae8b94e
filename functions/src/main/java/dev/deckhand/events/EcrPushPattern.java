package dev.deckhand.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.config.EnvironmentDefinition;
import dev.deckhand.json.DeckhandJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.TreeSet;

/**
 * The EventBridge pattern that starts the deployer: successful ECR pushes to the configured
 * repositories. The one source is {@code statemachine/triggers/ecr-image-push.json} (on the
 * classpath as {@code triggers/ecr-image-push.json}); this fills in its {@code repository-name} list. The
 * CDK app deploys exactly this pattern and the local cloud matches exactly this pattern.
 */
public final class EcrPushPattern {

    static final String RESOURCE = "/triggers/ecr-image-push.json";

    private EcrPushPattern() {
    }

    /** The pattern, as compact JSON, for the repositories the configuration watches (sorted). */
    public static String forConfiguration(DeckhandConfiguration configuration) {
        TreeSet<String> repositories = new TreeSet<>();
        configuration.services().values().forEach(service -> service.environments().values().stream()
                .filter(environment -> !environment.deployOnPush().isEmpty())
                .map(EnvironmentDefinition::repository)
                .forEach(repositories::add));
        ObjectNode pattern = template();
        ArrayNode names = ((ObjectNode) pattern.get("detail")).putArray("repository-name");
        repositories.forEach(names::add);
        return pattern.toString();
    }

    private static ObjectNode template() {
        try (InputStream in = EcrPushPattern.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            JsonNode pattern = DeckhandJson.MAPPER.readTree(in);
            return (ObjectNode) pattern;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
