package dev.deckhand.local.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.sfn.SfnClient;

/** {@code deckhand redrive}: RedriveExecution — a failed execution continues from the state that failed. */
@Command(name = "redrive", mixinStandardHelpOptions = true,
        description = "Redrives a failed, timed-out or aborted execution from the state that did not succeed, and follows it.")
final class RedriveCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "<execution-arn>")
    String executionArn;

    @Mixin
    Watch watch;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = out();
        try (SfnClient sfn = connection.sfn()) {
            sfn.redriveExecution(request -> request.executionArn(executionArn));
            out.println("redriven from the state that failed");
            return watch.follow(sfn, connection, executionArn, out);
        }
    }
}
