package dev.deckhand.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command-line validator (cfn-lint, asl-validator) and captures what it says. */
final class ExternalTool {

    record Result(int exitCode, String output) {
    }

    private ExternalTool() {
    }

    /**
     * @param missingHint what to tell the reader when the tool is not installed
     */
    static Result run(List<String> command, String missingHint, Path workDirectory) {
        Path output;
        try {
            output = Files.createTempFile(workDirectory, "tool", ".log");
        } catch (IOException e) {
            throw new AssertionError("cannot create a log file in " + workDirectory, e);
        }
        Process process;
        try {
            process = new ProcessBuilder(new ArrayList<>(command))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " is not installed (" + e.getMessage() + "): " + missingHint, e);
        }
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 2 minutes");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command.get(0), e);
        } catch (IOException e) {
            throw new AssertionError("cannot read the output of " + command.get(0), e);
        }
    }
}
