package dev.deckhand.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ASL definition in {@code statemachine/} and the test fixtures, checked by asl-validator
 * (npm, pinned by infra/package-lock.json; the build's {@code npm ci} installs it): an
 * independent reading of the Amazon States Language next to the local engine's own.
 */
class AslValidatorIT {

    private static final Path VALIDATOR = Path.of("node_modules/.bin/asl-validator");
    private static final String INSTALL = "run 'npm ci' in infra/ (the Maven build does)";

    @TempDir
    Path work;

    @Test
    void everyDefinitionIsValidAmazonStatesLanguage() throws IOException {
        List<Path> definitions = new ArrayList<>(definitionsIn(Path.of("../statemachine")));
        definitions.addAll(definitionsIn(Path.of("src/test/resources/definitions")));
        assertThat(definitions).contains(TestInstallation.FIXTURE_DEFINITION);

        for (Path definition : definitions) {
            ExternalTool.Result result = validate(definition);
            assertThat(result.exitCode()).as("asl-validator on %s said:%n%s", definition, result.output()).isZero();
        }
    }

    @Test
    void anInvalidDefinitionIsRejected() {
        ExternalTool.Result result = validate(Path.of("src/test/resources/invalid-definitions/next-state-missing.asl.json"));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("MISSING_TRANSITION_TARGET", "Deploy service");
    }

    private ExternalTool.Result validate(Path definition) {
        return ExternalTool.run(List.of(VALIDATOR.toString(), "--json-path", definition.toString()), INSTALL, work);
    }

    private static List<Path> definitionsIn(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".asl.json"))
                    .filter(file -> !file.toString().contains("/target/"))
                    .sorted()
                    .toList();
        }
    }
}
