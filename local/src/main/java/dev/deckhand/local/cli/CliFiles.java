package dev.deckhand.local.cli;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.errors.ConfigurationUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/** Reading the files subcommands name, with errors a user can act on. */
final class CliFiles {

    private CliFiles() {
    }

    static DeckhandConfiguration configuration(Path file) {
        try {
            return ConfigurationLoader.load(file);
        } catch (ConfigurationUnavailableException e) {
            throw new UserError(e.getMessage(), "pass --config <file>, or run from the directory that holds "
                    + "deckhand.yml (the repository has a sample)");
        }
    }

    /** The bytes of a file, or of standard input for {@code -}. */
    static byte[] readInput(String name, CommandSpec spec) throws IOException {
        if ("-".equals(name)) {
            return System.in.readAllBytes();
        }
        try {
            return Files.readAllBytes(Path.of(name));
        } catch (NoSuchFileException e) {
            throw new UserError("file not found: " + name, "sample inputs are in events/ (e.g. "
                    + "events/ecr/push-dev-feature.json)");
        }
    }
}
