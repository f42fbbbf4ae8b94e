package dev.deckhand.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.StackProps;

/**
 * A Deckhand installation for tests: the repository's sample {@code deckhand.yml}, the fixture
 * definition that references resolve-env (until {@code statemachine/deployer.asl.json} lands), a
 * stand-in functions jar, and the promote API and lock release enabled with placeholder handler names.
 */
final class TestInstallation {

    static final Path SAMPLE_CONFIG = Path.of("../deckhand.yml");
    static final Path FIXTURE_DEFINITION = Path.of("src/test/resources/definitions/resolve-only.asl.json");
    static final String PROMOTE_HANDLER = "dev.deckhand.promote.PromoteHandler::handleRequest";
    static final String LOCK_RELEASE_HANDLER = "dev.deckhand.lock.ReleaseLockHandler::handleRequest";

    /**
     * Handlers that do not exist yet, declared as the deployer's author will, so every kind of
     * access the stack grants is in the template under test.
     */
    static final List<FunctionSpec> FUTURE_HANDLERS = List.of(
            spec("DeployService", "dev.deckhand.deploy.DeployServiceHandler::handleRequest", 5,
                    FunctionAccess.ECS_DEPLOY, FunctionAccess.HISTORY_WRITE),
            spec("RunMigration", "dev.deckhand.migrate.RunMigrationHandler::handleRequest", 5,
                    FunctionAccess.ECS_MIGRATE),
            spec("AcquireLock", "dev.deckhand.lock.AcquireLockHandler::handleRequest", null,
                    FunctionAccess.LOCKS),
            spec("Notify", "dev.deckhand.notify.NotifyHandler::handleRequest", null,
                    FunctionAccess.NOTIFY, FunctionAccess.HISTORY_WRITE));

    private TestInstallation() {
    }

    static DeckhandSettings settings(Path workDirectory) {
        List<FunctionSpec> functions = new ArrayList<>(DeployerFunctions.ALL);
        functions.addAll(FUTURE_HANDLERS);
        return DeckhandSettings.load(SAMPLE_CONFIG, FIXTURE_DEFINITION, functionsJar(workDirectory))
                .withFunctions(functions)
                .withPromoteHandler(PROMOTE_HANDLER)
                .withLockReleaseHandler(LOCK_RELEASE_HANDLER);
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

    private static FunctionSpec spec(String name, String handler, Integer reserved, FunctionAccess... access) {
        return new FunctionSpec(name, handler, DeployerFunctions.MEMORY_MB, Duration.seconds(60), reserved,
                Set.of(access), "test stand-in for " + name);
    }
}
