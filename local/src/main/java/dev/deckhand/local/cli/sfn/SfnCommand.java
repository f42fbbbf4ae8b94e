package dev.deckhand.local.cli.sfn;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code deckhand sfn}: run Amazon States Language definitions on the local Step Functions engine. */
@Command(name = "sfn",
        description = "Run Step Functions state machines locally (no AWS account needed).",
        mixinStandardHelpOptions = true,
        subcommands = SfnRunCommand.class)
public final class SfnCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return picocli.CommandLine.ExitCode.USAGE;
    }
}
