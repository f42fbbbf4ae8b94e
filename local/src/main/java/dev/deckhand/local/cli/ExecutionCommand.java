package dev.deckhand.local.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.sfn.SfnClient;

/** A client command that acts on one execution (rerun, redrive), then follows the execution it leads to. */
abstract class ExecutionCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "<execution-arn>")
    String executionArn;

    @Mixin
    Watch watch;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = out();
        try (SfnClient sfn = connection.sfn()) {
            return watch.follow(sfn, connection, act(sfn, out), out);
        }
    }

    /** Does what the command does to {@link #executionArn}; returns the execution to follow. */
    abstract String act(SfnClient sfn, PrintWriter out);
}
