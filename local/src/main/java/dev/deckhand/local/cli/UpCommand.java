package dev.deckhand.local.cli;

import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.local.LocalCloud;
import dev.deckhand.local.deployer.LocalDeckhand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code deckhand up}: starts Deckhand locally on 127.0.0.1 (the local cloud with the deployer
 * state machine, the configuration's services seeded in ECS and ECR, and the promote API), prints
 * the environment a client needs as {@code export NAME=value} lines on standard output (everything
 * else goes to standard error), and runs until interrupted (Ctrl-C), then shuts down cleanly.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts Deckhand locally (local cloud, deployer state machine, promote API) and prints the "
                + "environment AWS clients need to reach it.",
                "Run it in one terminal and paste its export lines into another (or: ./deckhand up > up.env & "
                        + "then, once it says ready, . ./up.env); then the AWS CLI and SDKs reach the local ECS, ECR, "
                        + "Step Functions, DynamoDB, SSM, SNS, EventBridge and Secrets Manager.",
                "The configuration is put in the SSM parameter the handlers read (as on AWS), and each Slack "
                        + "secret it names points at a loopback webhook that prints what it receives."})
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "4566", paramLabel = "PORT",
            description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    private int port;

    @Option(names = "--api-port", defaultValue = "4567", paramLabel = "PORT",
            description = "Port of the promote API on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    private int apiPort;

    @Option(names = "--no-iam", description = "Do not authorize the functions' calls against their roles' policies "
            + "(enforced by default; calls signed with any other key act as the account's administrator).")
    boolean noIam;

    @Option(names = {"-c", "--config"}, paramLabel = "<file>", defaultValue = "deckhand.yml",
            description = "The configuration whose services are seeded (default: ${DEFAULT-VALUE}).")
    private Path config;

    @Option(names = "--simulated-time",
            description = "Run on simulated time, as the tests and the demo do: waits take no real time and the "
                    + "local clock runs ahead of the wall clock. By default 'up' runs on the wall clock, so a "
                    + "deployment takes as long as its (simulated) workloads and every wait is woken by its event.")
    private boolean simulatedTime;

    @Spec
    private CommandSpec spec;

    private volatile LocalDeckhand running;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Runs {@code up} on its own, outside the {@code deckhand} command. */
    public static void main(String[] args) {
        System.setProperty("log4j2.configurationFile", "deckhand-cli-log4j2.xml");
        System.exit(new CommandLine(new UpCommand()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DeckhandConfiguration configuration = CliFiles.configuration(config);
        String configurationText;
        try {
            configurationText = Files.readString(config);
        } catch (IOException e) {
            throw new UserError("cannot read " + config + ": " + e.getMessage(), "pass --config <file>");
        }
        LocalDeckhand deckhand;
        try {
            deckhand = LocalDeckhand.builder(configuration).port(port).apiPort(apiPort).iam(!noIam)
                    .realTime(!simulatedTime)
                    .configurationText(configurationText)
                    .slackWebhook(text -> {
                        err.println("Slack (local webhook) received: " + text.replace('\n', ' '));
                        err.flush();
                    })
                    .start();
        } catch (UncheckedIOException e) {
            boolean api = e.getMessage() != null && e.getMessage().contains("promote API");
            int busy = api ? apiPort : port;
            err.println("deckhand up: cannot listen on 127.0.0.1:" + busy + " (" + e.getCause().getMessage()
                    + "). Is another 'deckhand up' or LocalStack running? Stop it, or choose a port with "
                    + (api ? "--api-port" : "--port") + ".");
            err.flush();
            return 1;
        } catch (IllegalStateException e) {
            err.println("deckhand up: the local cloud could not start: " + e.getMessage());
            err.flush();
            return 1;
        }
        Thread onInterrupt = new Thread(this::stopAndWait, "deckhand-up-shutdown");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try (deckhand) {
            running = deckhand;
            exports(deckhand).forEach(out::println);
            out.flush();
            err.println("Local cloud ready on " + deckhand.cloud().endpoint() + " (ECS, ECR, Step Functions, DynamoDB, "
                    + "EventBridge, SSM, SNS, Secrets Manager); promote API on " + deckhand.apiUrl() + "; state machine "
                    + deckhand.stateMachineArn() + "; " + (simulatedTime ? "on simulated time" : "on the wall clock")
                    + ".");
            err.println("Configuration in SSM parameter " + LocalDeckhand.CONFIGURATION_PARAMETER
                    + (deckhand.slackSecrets().isEmpty() ? "" : "; Slack secrets " + String.join(", ", deckhand.slackSecrets())
                    + " point at a local webhook whose messages appear here") + ". Press Ctrl-C to stop.");
            err.println(noIam ? "IAM NOT enforced (--no-iam): the functions may call anything."
                    : "IAM enforced: each function may call only what its synthesized role allows; "
                            + "other credentials act as the account's administrator.");
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

    /** The running local Deckhand, once started (for tests). */
    LocalDeckhand running() {
        return running;
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

    /** The environment variables, as shell lines, that point AWS clients at the local Deckhand. */
    static List<String> exports(LocalDeckhand deckhand) {
        LocalCloud cloud = deckhand.cloud();
        return List.of(
                "export AWS_ENDPOINT_URL=" + cloud.endpoint(),
                "export AWS_REGION=" + cloud.region(),
                // The AWS CLI v1 reads its region from AWS_DEFAULT_REGION only.
                "export AWS_DEFAULT_REGION=" + cloud.region(),
                // The local key pair: the cloud accepts any signature; the promote API checks this one.
                "export AWS_ACCESS_KEY_ID=" + LocalDeckhand.ACCESS_KEY_ID,
                "export AWS_SECRET_ACCESS_KEY=" + LocalDeckhand.SECRET_ACCESS_KEY,
                "export DECKHAND_API_URL=" + deckhand.apiUrl(),
                "export DECKHAND_STATE_MACHINE_ARN=" + deckhand.stateMachineArn());
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
