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
 * as is), the state machine definition, the functions jar and the deployer's step functions.
 *
 * @param configurationText the text of {@code deckhand.yml}, exactly as validated
 * @param definitionFile the ASL definition the state machine loads
 * @param functionsJar the shaded jar every function runs
 * @param steps the functions the definition invokes ({@link DeployerFunctions#steps})
 */
public record DeckhandSettings(
        DeckhandConfiguration configuration,
        String configurationText,
        Path definitionFile,
        Path functionsJar,
        List<FunctionSpec> steps) {

    /** CDK context key: the configuration file, relative to {@code infra/}. */
    public static final String CONFIG = "config";
    /** CDK context key: the ASL definition, relative to {@code infra/}. */
    public static final String DEFINITION = "definition";
    /** CDK context key: the shaded functions jar, relative to {@code infra/}. */
    public static final String FUNCTIONS_JAR = "functionsJar";

    static final String DEFAULT_CONFIG = "../deckhand.yml";
    static final String DEFAULT_DEFINITION = "../statemachine/deployer.asl.json";

    public DeckhandSettings {
        steps = List.copyOf(steps);
    }

    /**
     * Reads and validates the files the CDK context names (defaults: the repository's
     * {@code deckhand.yml}, {@code statemachine/deployer.asl.json} and the functions jar this build
     * produced).
     *
     * @throws dev.deckhand.errors.InvalidConfigurationException with the loader's message
     * @throws SynthesisException when a file is missing
     */
    public static DeckhandSettings fromContext(Node node) {
        Path config = Path.of(context(node, CONFIG, DEFAULT_CONFIG));
        return load(config,
                Path.of(context(node, DEFINITION, DEFAULT_DEFINITION)),
                Path.of(context(node, FUNCTIONS_JAR, "../functions/target/" + functionsJarName())));
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
        return new DeckhandSettings(configuration, text, definitionFile, functionsJar,
                DeployerFunctions.steps(configuration));
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
