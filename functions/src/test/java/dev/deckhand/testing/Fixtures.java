package dev.deckhand.testing;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.DeckhandConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's own fixtures: the sample {@code deckhand.yml} and the files in {@code events/}. */
public final class Fixtures {

    private Fixtures() {
    }

    /** The repository root: the nearest directory upwards that holds {@code deckhand.yml} and {@code events/}. */
    public static Path root() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null) {
            if (Files.isRegularFile(directory.resolve("deckhand.yml")) && Files.isDirectory(directory.resolve("events"))) {
                return directory;
            }
            directory = directory.getParent();
        }
        throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }

    public static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DeckhandConfiguration sampleConfiguration() {
        return ConfigurationLoader.load(path("deckhand.yml"));
    }

    /** One service whose prod environment lives in another account (444455556666), deployed through its role there. */
    public static final String CROSS_ACCOUNT = """
            version: 1
            services:
              api:
                repository: acme/api
                environments:
                  prod:
                    cluster: acme-prod
                    service: api-prod
                    deployOnPush: ["release-*"]
                    account: "444455556666"
                    roleArn: arn:aws:iam::444455556666:role/deckhand-deploy
            """;

    /** One service with one environment that names no role for Deckhand to pass (the account-wide PassRole rule). */
    public static final String WITHOUT_ROLES = """
            version: 1
            services:
              api:
                repository: acme/api
                environments:
                  dev:
                    cluster: acme-dev
                    service: api-dev
                    deployOnPush: ["*"]
            """;
}
