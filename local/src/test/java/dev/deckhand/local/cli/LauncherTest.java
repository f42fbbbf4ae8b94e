package dev.deckhand.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./deckhand} launcher itself, run by bash in a scratch checkout whose Maven wrapper is a
 * stand-in that records being called (a real build takes a minute; what is tested is when it builds).
 */
class LauncherTest {

    @Test
    void aCopiedCheckoutBuildsAgainInsteadOfRunningTheOriginalsJars(@TempDir Path copy) throws Exception {
        checkout(copy);
        // What a copy (cp -r) of a built checkout holds: a classpath naming the original's modules.
        Files.writeString(copy.resolve("local/target/classpath.txt"), "/elsewhere/functions/target/f.jar");
        Files.writeString(copy.resolve("local/target/built-in"), "/elsewhere\n");

        Run run = launch(copy);

        assertThat(run.err()).contains("deckhand: building");
        assertThat(Files.exists(copy.resolve("mvnw-called"))).isTrue();
        assertThat(Files.readString(copy.resolve("local/target/built-in")).trim()).isEqualTo(copy.toString());
        assertThat(run.err()).contains("-Ddeckhand.dynamodb.lib=" + copy.resolve("local-dynamodb/target/lib"));
    }

    @Test
    void aCheckoutBuiltInPlaceStartsWithoutBuilding(@TempDir Path checkout) throws Exception {
        checkout(checkout);
        Files.writeString(checkout.resolve("local/target/built-in"), checkout + "\n");

        Run run = launch(checkout);

        assertThat(run.err()).doesNotContain("deckhand: building");
        assertThat(Files.exists(checkout.resolve("mvnw-called"))).isFalse();
    }

    /** The launcher, a stand-in wrapper, a built jar and classpath newer than every source, a java that echoes. */
    private static void checkout(Path root) throws IOException {
        Files.copy(Fixtures.path("deckhand"), root.resolve("deckhand"));
        executable(root.resolve("mvnw"), "#!/usr/bin/env bash\ntouch \"$(dirname \"$0\")/mvnw-called\"\n");
        Files.createDirectories(root.resolve("local/target"));
        Files.writeString(root.resolve("local/target/deckhand-local.jar"), "jar");
        Files.writeString(root.resolve("local/target/classpath.txt"), root + "/functions/target/f.jar");
        Path bin = Files.createDirectories(root.resolve("bin"));
        // Answers the launcher's version probe as Java 17 and otherwise prints its arguments.
        executable(bin.resolve("java"), """
                #!/usr/bin/env bash
                if [ "${1:-}" = "-XshowSettings:properties" ]; then echo "    java.specification.version = 17" >&2; exit 0; fi
                echo "java $*" >&2
                """);
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int exit, String err) {
    }

    private static Run launch(Path root) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("deckhand").toString(), "--version")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PATH", root.resolve("bin") + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), err);
    }
}
