package dev.deckhand.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;

/** The app's entry point: what `cdk synth` prints and returns for good and bad inputs. */
class DeckhandAppIT {

    @TempDir
    Path work;

    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @Test
    void invalidConfigurationFailsSynthesisWithTheLoadersMessageAndNoStackTrace() {
        int exit = run(TestInstallation.context(work, "src/test/resources/configurations/unknown-field.yml",
                TestInstallation.FIXTURE_DEFINITION.toString()));

        assertThat(exit).isEqualTo(1);
        assertThat(errors()).startsWith("deckhand: 2 problems in src/test/resources/configurations/unknown-field.yml:")
                .contains("services[storefront].environments[dev].clustr: unknown field (did you mean 'cluster'?)")
                .contains("services[storefront].environments[dev].cluster: is required")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void missingDefinitionFailsSynthesisWithOneLineNamingTheFile() {
        int exit = run(TestInstallation.context(work, TestInstallation.SAMPLE_CONFIG.toString(),
                "../statemachine/no-such.asl.json"));

        assertThat(exit).isEqualTo(1);
        assertThat(errors()).hasLineCount(1)
                .startsWith("deckhand: state machine definition not found: ")
                .contains("statemachine/no-such.asl.json", "-c definition=<file>");
    }

    @Test
    void missingConfigurationFailsSynthesisWithOneLine() {
        int exit = run(TestInstallation.context(work, "no-such-deckhand.yml",
                TestInstallation.FIXTURE_DEFINITION.toString()));

        assertThat(exit).isEqualTo(1);
        assertThat(errors()).hasLineCount(1).startsWith("deckhand: configuration file not found: ")
                .contains("no-such-deckhand.yml");
    }

    @Test
    void aHealthCheckRoundLongerThanTheVerifyHealthStepFailsSynthesisWithTheLoadersMessage() {
        int exit = run(TestInstallation.context(work, "src/test/resources/configurations/slow-health-check.yml",
                TestInstallation.DEFINITION.toString()));

        assertThat(exit).isEqualTo(1);
        assertThat(errors()).contains("healthCheck: consecutiveSuccesses (10) x (timeoutSeconds (19) + 1 s between "
                + "probes) = 200 s, but one round of probes must fit in 110 s; lower either").doesNotContain("\tat ");
    }

    @Test
    void aDefinitionThatWaitsLessForAStepThanItsFunctionMayRunFailsSynthesisSayingWhatToChange() throws Exception {
        ObjectNode definition = (ObjectNode) new ObjectMapper().readTree(TestInstallation.DEFINITION.toFile());
        ((ObjectNode) definition.path("States").path("Verify health")).put("TimeoutSeconds", 30);
        Path shortened = work.resolve("short-verify-health.asl.json");
        Files.writeString(shortened, definition.toString());

        int exit = run(TestInstallation.context(work, TestInstallation.SAMPLE_CONFIG.toString(), shortened.toString()));

        assertThat(exit).isEqualTo(1);
        assertThat(errors()).hasLineCount(1).isEqualTo("deckhand: function HealthCheck may run 39 s, but the "
                + "definition's state 'Verify health' waits 30 s for it (TimeoutSeconds): its timeout covers the "
                + "longest health-check round in the configuration; lower that health check's consecutiveSuccesses "
                + "or timeoutSeconds");
    }

    @Test
    void validInputsSynthesizeTheDeckhandTemplate() {
        int exit = run(TestInstallation.context(work, TestInstallation.SAMPLE_CONFIG.toString(),
                TestInstallation.FIXTURE_DEFINITION.toString()));

        assertThat(errors()).isEmpty();
        assertThat(exit).isZero();
        assertThat(Files.isRegularFile(work.resolve("cdk.out/Deckhand.template.json"))).isTrue();
    }

    @Test
    void aConfigurationWhoseEnvironmentNamesNoRoleSynthesizesAndSaysInOneLineWhatToAdd() {
        int exit = run(TestInstallation.context(work, "src/test/resources/configurations/no-roles-no-migrations.yml",
                TestInstallation.FIXTURE_DEFINITION.toString()));

        assertThat(exit).isZero();
        assertThat(errors()).hasLineCount(1).startsWith("deckhand: warning: ").contains("names no role",
                "executionRoleArn: arn:aws:iam::<account>:role/<name>");
    }

    private int run(Map<String, Object> context) {
        App app = App.Builder.create().context(context).outdir(work.resolve("cdk.out").toString()).build();
        return DeckhandApp.run(app, new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    private String errors() {
        return stderr.toString(StandardCharsets.UTF_8).strip();
    }
}
