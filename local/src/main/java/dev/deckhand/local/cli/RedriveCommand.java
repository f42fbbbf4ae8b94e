package dev.deckhand.local.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sfn.SfnClient;

/** {@code deckhand redrive}: RedriveExecution — a failed execution continues from the state that failed. */
@Command(name = "redrive", mixinStandardHelpOptions = true,
        description = "Redrives a failed, timed-out or aborted execution from the state that did not succeed, and follows it.")
final class RedriveCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<execution-arn>")
    String executionArn;

    @Mixin
    Connection connection;

    @Mixin
    Watch watch;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (SfnClient sfn = connection.sfn()) {
            sfn.redriveExecution(request -> request.executionArn(executionArn));
            out.println("redriven from the state that failed");
            return watch.follow(sfn, connection, executionArn, out);
        }
    }
}
