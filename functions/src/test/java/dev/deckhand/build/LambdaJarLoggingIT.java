package dev.deckhand.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shaded Lambda jar carries a Log4j plugin cache cut to what log4j2.properties uses
 * (src/lambda/log4j-plugins.txt). A plugin missing from it would not fail the build: Log4j would
 * report it on stderr and log differently, or not at all. So the same lines are logged in a JVM on
 * the Lambda jar and in one on the test class path (the libraries' whole caches), and compared.
 */
class LambdaJarLoggingIT {

    @Test
    void theLambdaJarLogsTheSameJsonAsTheFullPluginCaches() throws Exception {
        Path testClasses = Path.of("target/test-classes").toAbsolutePath();

        Run lambda = run(lambdaJar() + File.pathSeparator + testClasses);
        Run reference = run(System.getProperty("java.class.path"));

        assertThat(lambda.errors()).as("Log4j's status messages on the Lambda jar").isEmpty();
        assertThat(reference.errors()).isEmpty();
        assertThat(lambda.lines()).hasSize(2).isEqualTo(reference.lines());
        JsonNode deckhand = lambda.lines().get(0);
        assertThat(deckhand.path("level").asText()).isEqualTo("INFO");
        assertThat(deckhand.path("message").asText()).isEqualTo("registered revision 7");
        assertThat(deckhand.path("error").path("name").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(deckhand.path("correlation_id").asText()).isEqualTo("storefront.dev.0123456789abcdef");
        assertThat(deckhand.path("function_name").asText()).isEqualTo("deckhand-deploy");
        assertThat(deckhand.path("cold_start").isBoolean()).isTrue();
        assertThat(lambda.lines().get(1).path("level").asText()).isEqualTo("WARN");
    }

    private record Run(List<JsonNode> lines, String errors) {
    }

    /** The JSON lines a fresh JVM logs, each without its timestamp, and what it wrote to stderr. */
    private static Run run(String classPath) throws IOException, InterruptedException {
        Path out = Files.createTempFile("deckhand-log-lines", ".out");
        Path err = Files.createTempFile("deckhand-log-lines", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classPath, LogLines.class.getName())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().remove("POWERTOOLS_LOG_LEVEL");
            builder.environment().put("POWERTOOLS_SERVICE_NAME", "deckhand");
            Process process = builder.start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the JVM logging the lines ended").isTrue();
            assertThat(process.exitValue()).as(Files.readString(err)).isZero();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                ObjectNode json = (ObjectNode) DeckhandJson.MAPPER.readTree(line);
                assertThat(json.remove("timestamp")).as("timestamp of " + line).isNotNull();
                lines.add(json);
            }
            return new Run(lines, Files.readString(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    private static Path lambdaJar() throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "*-lambda.jar")) {
            for (Path jar : jars) {
                return jar.toAbsolutePath();
            }
        }
        throw new IllegalStateException("no shaded Lambda jar in target: the package phase makes it");
    }
}
