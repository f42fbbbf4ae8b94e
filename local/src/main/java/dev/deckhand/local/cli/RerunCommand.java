package dev.deckhand.local.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

/**
 * {@code deckhand rerun}: the console's "New execution" with the same input — a new execution of
 * the same state machine. Deckhand answers DUPLICATE if that deployment already succeeded, and
 * makes a new attempt if it failed or rolled back.
 */
@Command(name = "rerun", mixinStandardHelpOptions = true,
        description = "Starts a new execution with the input of an earlier one (the console's 'New execution'), and follows it.")
final class RerunCommand extends ExecutionCommand {

    @Override
    String act(SfnClient sfn, PrintWriter out) {
        DescribeExecutionResponse earlier = sfn.describeExecution(request -> request.executionArn(executionArn));
        String started = sfn.startExecution(request -> request.stateMachineArn(earlier.stateMachineArn())
                .input(earlier.input())).executionArn();
        out.printf("rerun of %s (%s) with the same input%n", earlier.name(), earlier.statusAsString());
        return started;
    }
}
