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
        String error = sfn.describeExecution(request -> request.executionArn(executionArn)).error();
        if (error != null && error.startsWith("Deckhand.")) {
            // It ended in one of the deployer's own Fail states (rolled back, failed after reporting):
            // a redrive resumes there (API_RedriveExecution), so it could only fail the same way again.
            throw new UserError("this execution ended in the deployer's Fail state (" + error
                    + "), where a redrive would resume and fail again",
                    "to deploy the same input again: ./deckhand rerun " + executionArn, DeckhandCommand.EXIT_REJECTED);
        }
        sfn.redriveExecution(request -> request.executionArn(executionArn));
        out.println("redriven from the state that failed");
        return executionArn;
    }
}
