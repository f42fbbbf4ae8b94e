package dev.deckhand.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/**
 * A Deckhand installation for tests: the repository's sample {@code deckhand.yml}, the real
 * deployer definition and a stand-in functions jar.
 */
final class TestInstallation {

    static final Path SAMPLE_CONFIG = Path.of("../deckhand.yml");
    static final Path DEFINITION = Path.of("../statemachine/deployer.asl.json");
    /** A small definition for the tests of definition loading and of the ASL validator. */
    static final Path FIXTURE_DEFINITION = Path.of("src/test/resources/definitions/resolve-only.asl.json");

    private TestInstallation() {
    }

    static DeckhandSettings settings(Path workDirectory) {
        return DeckhandSettings.load(SAMPLE_CONFIG, DEFINITION, functionsJar(workDirectory));
    }

    static DeckhandStack stack(Path workDirectory) {
        App app = App.Builder.create().outdir(workDirectory.resolve("cdk.out").toString()).build();
        return stack(app, settings(workDirectory));
    }

    static DeckhandStack stack(App app, DeckhandSettings settings) {
        return new DeckhandStack(app, "Deckhand", StackProps.builder().build(), settings);
    }

    /** A small valid jar standing in for the shaded functions jar (CDK only hashes and copies it). */
    static Path functionsJar(Path directory) {
        Path jar = directory.resolve("deckhand-functions-test-lambda.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("README.txt"));
            zip.write("stand-in for the functions jar".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }

    static Map<String, Object> context(Path workDirectory, String config, String definition) {
        return Map.of(
                DeckhandSettings.CONFIG, config,
                DeckhandSettings.DEFINITION, definition,
                DeckhandSettings.FUNCTIONS_JAR, functionsJar(workDirectory).toString());
    }

    /** The resources of a synthesized template with the given CloudFormation type, in template order. */
    static List<JsonNode> ofType(JsonNode resources, String type) {
        List<JsonNode> found = new ArrayList<>();
        resources.forEach(resource -> {
            if (resource.get("Type").asText().equals(type)) {
                found.add(resource);
            }
        });
        return found;
    }
}
