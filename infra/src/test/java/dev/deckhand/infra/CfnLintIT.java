package dev.deckhand.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Template;

/**
 * cfn-lint, AWS's CloudFormation linter, over the synthesized template. Its exit code is a bit
 * field: 1 a fatal error, 2 an error, 4 a warning, 8 an informational finding; errors fail.
 */
class CfnLintIT {

    static final Path TEMPLATE = Path.of("target/cfn-lint/Deckhand.template.json");
    private static final String INSTALL = "the build installs it into target/tools/cfn-lint when it is not on the "
            + "PATH (tools/prerequisites.sh); or install it yourself: 'pipx install cfn-lint'";

    @TempDir
    static Path work;

    @BeforeAll
    static void writeTheSynthesizedTemplate() throws Exception {
        Template template = Template.fromStack(TestInstallation.stack(work));
        Files.createDirectories(TEMPLATE.getParent());
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(TEMPLATE.toFile(), template.toJSON());
    }

    @Test
    void synthesizedTemplateHasNoCfnLintError() {
        ExternalTool.Result result = lint(TEMPLATE);

        assertThat(result.exitCode() & 3).as("cfn-lint on %s said:%n%s", TEMPLATE, result.output()).isZero();
    }

    @Test
    void aCrossAccountInstallationsTemplatesHaveNoCfnLintError() throws Exception {
        java.util.Map<String, Object> context = new java.util.HashMap<>(TestInstallation.context(work,
                "src/test/resources/configurations/cross-account.yml", TestInstallation.DEFINITION.toString()));
        context.put("deckhandAccount", "111122223333");
        software.amazon.awscdk.App app = software.amazon.awscdk.App.Builder.create().context(context)
                .outdir(work.resolve("cross/cdk.out").toString()).build();
        assertThat(DeckhandApp.run(app, System.err)).isZero();

        for (String id : List.of("Deckhand", "Deckhand-Target-444455556666")) {
            Path written = TEMPLATE.resolveSibling(id + ".cross-account.template.json");
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(written.toFile(),
                    Template.fromStack((software.amazon.awscdk.Stack) app.getNode().findChild(id)).toJSON());
            ExternalTool.Result result = lint(written);
            assertThat(result.exitCode() & 3).as("cfn-lint on %s said:%n%s", written, result.output()).isZero();
        }
    }

    @Test
    void cfnLintReportsAnErrorInABrokenTemplate() {
        ExternalTool.Result result = lint(Path.of("src/test/resources/invalid-templates/bad-retention.template.json"));

        assertThat(result.exitCode() & 2).isEqualTo(2);
        assertThat(result.output()).contains("E3034");
    }

    private static ExternalTool.Result lint(Path template) {
        return ExternalTool.run(List.of(cfnLint(), template.toString()), INSTALL, work);
    }

    /** The cfn-lint the build's prerequisites step chose (tools/prerequisites.sh), else the PATH's. */
    static String cfnLint() {
        Path chosen = Path.of("..", "target", "tools", "cfn-lint.path");
        try {
            return Files.isRegularFile(chosen) ? Files.readString(chosen).trim() : "cfn-lint";
        } catch (java.io.IOException e) {
            return "cfn-lint";
        }
    }
}
