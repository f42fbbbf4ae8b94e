package dev.deckhand.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/prerequisites.sh, which the parent pom runs first in every build: on a machine with only
 * what a test puts on its PATH, it says in one line what is missing and how to install it, uses a
 * cfn-lint that is there, and installs one into target/tools when there is none.
 */
class BuildPrerequisitesTest {

    /** The commands the script itself uses; node, npm, cfn-lint and python3 come only from a test. */
    private static final List<String> BASICS = List.of("bash", "sed", "grep", "tail", "mkdir", "rm", "cat", "dirname",
            "env", "chmod");

    @Test
    void withoutNodeItSaysSoInOneLineWithHowToInstallIt(@TempDir Path checkout) throws Exception {
        Run run = run(checkout, Map.of(), "-B verify");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString().startsWith("deckhand build: Node.js with npm is needed")
                .contains("https://nodejs.org/").contains("-pl '!infra'");
    }

    @Test
    void aBuildThatRunsNoInfraTestsNeedsNothing(@TempDir Path checkout) throws Exception {
        assertThat(run(checkout, Map.of(), "-B -q -pl local -am test").exit()).isZero();
        assertThat(run(checkout, Map.of(), "-q -B -DskipTests -pl local -am package").exit()).isZero();
    }

    @Test
    void aCfnLintOnThePathIsTheOneTheTestsUse(@TempDir Path checkout) throws Exception {
        Run run = run(checkout, Map.of("node", "", "npm", "", "cfn-lint", "echo cfn-lint 1.0.0"), "-B verify");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(Files.readString(checkout.resolve("target/tools/cfn-lint.path")).trim())
                .isEqualTo(checkout.resolve("bin/cfn-lint").toString());
    }

    @Test
    void withoutCfnLintItInstallsOneIntoTargetOrSaysInOneLineWhyItCannot(@TempDir Path checkout) throws Exception {
        // A python3 whose package index is unreachable, as on a machine without network.
        String offlinePython = """
                if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
                  mkdir -p "$3/bin"; printf '#!/usr/bin/env bash\\necho "ERROR: No matching distribution found for cfn-lint" >&2; exit 1\\n' > "$3/bin/python"; chmod +x "$3/bin/python"
                fi
                """;
        Run run = run(checkout, Map.of("node", "", "npm", "", "python3", offlinePython), "-B verify");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().lines().filter(line -> !line.contains("installing cfn-lint"))).singleElement().asString()
                .startsWith("deckhand build: could not install cfn-lint into target/tools/cfn-lint "
                        + "(ERROR: No matching distribution found for cfn-lint)")
                .contains("pipx install cfn-lint");
        assertThat(checkout.resolve("target/tools/cfn-lint")).doesNotExist();
    }

    private record Run(int exit, String err) {
    }

    /** Runs a copy of the script in {@code checkout} with a PATH of the basics and the given stand-ins. */
    private static Run run(Path checkout, Map<String, String> tools, String mavenArgs) throws Exception {
        Files.createDirectories(checkout.resolve("tools"));
        Files.copy(Fixtures.path("tools/prerequisites.sh"), checkout.resolve("tools/prerequisites.sh"),
                StandardCopyOption.REPLACE_EXISTING);
        Path bin = Files.createDirectories(checkout.resolve("bin"));
        for (String basic : BASICS) {
            Path real = List.of("/usr/bin", "/bin").stream().map(dir -> Path.of(dir, basic)).filter(Files::isExecutable)
                    .findFirst().orElseThrow();
            if (!Files.exists(bin.resolve(basic))) {
                Files.createSymbolicLink(bin.resolve(basic), real);
            }
        }
        for (Map.Entry<String, String> tool : tools.entrySet()) {
            Path file = bin.resolve(tool.getKey());
            Files.writeString(file, "#!/usr/bin/env bash\n" + tool.getValue() + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        ProcessBuilder builder = new ProcessBuilder(bin.resolve("bash").toString(),
                checkout.resolve("tools/prerequisites.sh").toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PATH", bin.toString());
        builder.environment().put("MAVEN_CMD_LINE_ARGS", " " + mavenArgs);
        Process process = builder.start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), err);
    }
}
