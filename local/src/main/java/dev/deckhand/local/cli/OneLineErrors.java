package dev.deckhand.local.cli;

import dev.deckhand.errors.DeckhandException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Turns an exception escaping a subcommand into one clear line on stderr: Deckhand's own errors
 * are answers (exit 1); anything else is unexpected, and {@code --debug} shows its stack trace.
 */
final class OneLineErrors implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        boolean debug = parseResult.hasMatchedOption("--debug")
                || parseResult.subcommands().stream().anyMatch(sub -> sub.hasMatchedOption("--debug"));
        if (e instanceof UserError userError) {
            err.println("deckhand: " + userError.getMessage());
            if (userError.hint() != null) {
                err.println("hint: " + userError.hint());
            }
            return userError.exitCode();
        }
        if (e instanceof DeckhandException) {
            err.println("deckhand: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return DeckhandCommand.EXIT_REJECTED;
        }
        if (e instanceof AwsServiceException aws) {
            // An AWS API's refusal (ExecutionNotRedrivable, ExecutionDoesNotExist…) is an answer, not a crash.
            err.println("deckhand: " + aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage());
            return DeckhandCommand.EXIT_REJECTED;
        }
        if (e instanceof SdkClientException) {
            err.println("deckhand: cannot reach AWS: " + e.getMessage());
            err.println("hint: is './deckhand up' running, and AWS_ENDPOINT_URL set to what it printed?");
            return DeckhandCommand.EXIT_USAGE;
        }
        err.println("deckhand: unexpected error: " + e);
        if (debug) {
            e.printStackTrace(err);
        } else {
            err.println("hint: run again with --debug for the stack trace");
        }
        return 70; // EX_SOFTWARE
    }
}
