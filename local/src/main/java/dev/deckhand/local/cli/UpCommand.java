package dev.deckhand.local.cli;

import dev.deckhand.local.LocalCloud;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deckhand up}: starts the local cloud on 127.0.0.1, prints the environment a client needs
 * as {@code export NAME=value} lines on standard output (everything else goes to standard error),
 * and runs until interrupted (Ctrl-C), then shuts down cleanly.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Starts the local cloud and prints the environment AWS clients need to reach it.")
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "4566", paramLabel = "PORT",
            description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    private int port;

    @Option(names = "--region", defaultValue = LocalCloud.DEFAULT_REGION, paramLabel = "REGION",
            description = "Region the local cloud reports (default: ${DEFAULT-VALUE}).")
    private String region;

    @Spec
    private CommandSpec spec;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Runs {@code up} on its own, outside the {@code deckhand} command. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new UpCommand()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LocalCloud cloud;
        try {
            cloud = LocalCloud.builder().port(port).region(region).build().start();
        } catch (UncheckedIOException e) {
            err.println("deckhand up: cannot listen on 127.0.0.1:" + port + " (" + e.getCause().getMessage()
                    + "). Is another 'deckhand up' or LocalStack running? Stop it, or choose a port with --port.");
            err.flush();
            return 1;
        } catch (IllegalStateException e) {
            err.println("deckhand up: the local cloud could not start: " + e.getMessage());
            err.flush();
            return 1;
        }
        Thread onInterrupt = new Thread(this::stopAndWait, "deckhand-up-shutdown");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try (cloud) {
            exports(cloud).forEach(out::println);
            out.flush();
            err.println("Local cloud ready on " + cloud.endpoint() + " (DynamoDB, EventBridge, SSM, SNS, Secrets Manager)."
                    + " Press Ctrl-C to stop.");
            err.flush();
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
            removeHook(onInterrupt);
        }
        err.println("Local cloud stopped.");
        err.flush();
        return 0;
    }

    /** Asks a running {@code up} to shut down, as Ctrl-C does, and waits until it has. */
    public void stopAndWait() {
        stopRequested.countDown();
        try {
            stopped.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The environment variables, as shell lines, that point AWS clients at the local cloud. */
    static List<String> exports(LocalCloud cloud) {
        return List.of(
                "export AWS_ENDPOINT_URL=" + cloud.endpoint(),
                "export AWS_REGION=" + cloud.region(),
                // The AWS CLI v1 reads its region from AWS_DEFAULT_REGION only.
                "export AWS_DEFAULT_REGION=" + cloud.region(),
                // Dummy credentials: the local cloud accepts any signature, but clients insist on signing.
                "export AWS_ACCESS_KEY_ID=test",
                "export AWS_SECRET_ACCESS_KEY=test");
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down (Ctrl-C): the hook is running and cannot be removed.
            return;
        }
    }
}
