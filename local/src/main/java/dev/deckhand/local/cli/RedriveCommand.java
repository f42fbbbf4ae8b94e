package dev.deckhand.local.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import software.amazon.awssdk.services.sfn.SfnClient;

/** {@code deckhand redrive}: RedriveExecution — a failed execution continues from the state that failed. */
@Command(name = "redrive", mixinStandardHelpOptions = true,
        description = "Redrives a failed, timed-out or aborted execution from the state that did not succeed, and follows it.")
final class RedriveCommand extends ExecutionCommand {

    @Override
    String act(SfnClient sfn, PrintWriter out) {
        sfn.redriveExecution(request -> request.executionArn(executionArn));
        out.println("redriven from the state that failed");
        return executionArn;
    }
}
