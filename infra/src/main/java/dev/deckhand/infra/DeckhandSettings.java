package dev.deckhand.infra;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.DeckhandConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import software.constructs.Node;

/**
 * What one Deckhand installation is made of: the validated configuration (and its text, shipped
 * as is), the state machine definition, the functions jar and the handlers to deploy.
 *
 * @param configurationText the text of {@code deckhand.yml}, exactly as validated
 * @param definitionFile the ASL definition the state machine loads
 * @param functionsJar the shaded jar every function runs
 * @param promoteHandler the promote API's handler ({@code class::method}), or {@code null} for no API yet
 * @param lockReleaseHandler the handler that releases the lock of an execution that failed, timed
 *     out or was aborted ({@code class::method}), or {@code null} until it exists
 */
public record DeckhandSettings(
        DeckhandConfiguration configuration,
        String configurationText,
        Path definitionFile,
        Path functionsJar,
        List<FunctionSpec> functions,
        String promoteHandler,
        String lockReleaseHandler) {

    /** CDK context key: the configuration file, relative to {@code infra/}. */
    public static final String CONFIG = "config";
    /** CDK context key: the ASL definition, relative to {@code infra/}. */
    public static final String DEFINITION = "definition";
    /** CDK context key: the shaded functions jar, relative to {@code infra/}. */
    public static final String FUNCTIONS_JAR = "functionsJar";
    /** CDK context key: the promote API's handler; without it, no API is deployed. */
    public static final String PROMOTE_HANDLER = "promoteHandler";
    /** CDK context key: the lock release handler; without it, no execution status rule is deployed. */
    public static final String LOCK_RELEASE_HANDLER = "lockReleaseHandler";

    static final String DEFAULT_CONFIG = "../deckhand.yml";
    static final String DEFAULT_DEFINITION = "../statemachine/deployer.asl.json";

    public DeckhandSettings {
        functions = List.copyOf(functions);
    }

    /**
     * Reads and validates the files the CDK context names (defaults: the repository's
     * {@code deckhand.yml}, {@code statemachine/deployer.asl.json} and the functions jar this build
     * produced), with the deployer's handlers.
     *
     * @throws dev.deckhand.errors.InvalidConfigurationException with the loader's message
     * @throws SynthesisException when a file is missing
     */
    public static DeckhandSettings fromContext(Node node) {
        Path config = Path.of(context(node, CONFIG, DEFAULT_CONFIG));
        return load(config,
                Path.of(context(node, DEFINITION, DEFAULT_DEFINITION)),
                Path.of(context(node, FUNCTIONS_JAR, "../functions/target/" + functionsJarName())))
                .withPromoteHandler((String) node.tryGetContext(PROMOTE_HANDLER))
                .withLockReleaseHandler((String) node.tryGetContext(LOCK_RELEASE_HANDLER));
    }

    /** Validates the configuration file and checks the other two files exist. */
    public static DeckhandSettings load(Path configFile, Path definitionFile, Path functionsJar) {
        if (!Files.isRegularFile(configFile)) {
            throw new SynthesisException("configuration file not found: " + configFile.toAbsolutePath().normalize()
                    + " (name another with -c " + CONFIG + "=<file>)");
        }
        if (!Files.isRegularFile(functionsJar)) {
            throw new SynthesisException("functions jar not found: " + functionsJar.toAbsolutePath().normalize()
                    + " (build it with ./mvnw -pl functions package, or name one with -c " + FUNCTIONS_JAR + "=<jar>)");
        }
        String text;
        try {
            text = Files.readString(configFile);
        } catch (IOException e) {
            throw new SynthesisException("cannot read configuration file " + configFile + ": " + e.getMessage());
        }
        DeckhandConfiguration configuration = ConfigurationLoader.parse(text, configFile.toString());
        return new DeckhandSettings(configuration, text, definitionFile, functionsJar, DeployerFunctions.ALL, null, null);
    }

    public DeckhandSettings withPromoteHandler(String handler) {
        return new DeckhandSettings(configuration, configurationText, definitionFile, functionsJar, functions, handler,
                lockReleaseHandler);
    }

    public DeckhandSettings withLockReleaseHandler(String handler) {
        return new DeckhandSettings(configuration, configurationText, definitionFile, functionsJar, functions,
                promoteHandler, handler);
    }

    public DeckhandSettings withFunctions(List<FunctionSpec> specs) {
        return new DeckhandSettings(configuration, configurationText, definitionFile, functionsJar, specs,
                promoteHandler, lockReleaseHandler);
    }

    private static String context(Node node, String key, String fallback) {
        Object value = node.tryGetContext(key);
        return value == null ? fallback : value.toString();
    }

    /** The shaded jar's file name, which Maven writes into build.properties (it carries the version). */
    static String functionsJarName() {
        Properties properties = new Properties();
        try (InputStream in = DeckhandSettings.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the infra classpath; build with Maven");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("functions.jar");
    }
}
