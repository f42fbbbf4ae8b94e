package dev.deckhand.local.cli;

import dev.deckhand.errors.DeckhandException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

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
        err.println("deckhand: unexpected error: " + e);
        if (debug) {
            e.printStackTrace(err);
        } else {
            err.println("hint: run again with --debug for the stack trace");
        }
        return 70; // EX_SOFTWARE
    }
}
