package dev.deckhand.local.cli;

import dev.deckhand.config.NearestName;
import dev.deckhand.local.cli.sfn.SfnCommand;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code deckhand}: everything a user runs locally. Subcommands are registered here, each in
 * its own class; {@link #main} is what {@code ./deckhand} runs.
 */
@Command(
        name = "deckhand",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Deckhand: an event-driven deployer for containerized services on AWS, run locally.",
        subcommands = {
                DemoCommand.class,
                UpCommand.class,
                PushCommand.class,
                PromoteCommand.class,
                ApprovalCommands.Approve.class,
                ApprovalCommands.Reject.class,
                FreezeCommands.Freeze.class,
                FreezeCommands.Unfreeze.class,
                RollbackCommand.class,
                PlanCommand.class,
                VerifyCommand.class,
                StatusCommand.class,
                HistoryCommand.class,
                MetricsCommand.class,
                RerunCommand.class,
                RedriveCommand.class,
                GraphCommand.class,
                ResolveCommand.class,
                ConfigCommand.class,
                SfnCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class DeckhandCommand implements Runnable {

    /** Exit code when Deckhand's answer is "no": invalid input, invalid configuration, a refused promotion. */
    public static final int EXIT_REJECTED = 1;
    /** Exit code for a usage mistake: unknown option, missing file (picocli's convention). */
    public static final int EXIT_USAGE = 2;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of unexpected errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // Before any logger exists: handler logs go to stderr so stdout stays machine-readable.
        System.setProperty("log4j2.configurationFile", "deckhand-cli-log4j2.xml");
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run it in-process. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new DeckhandCommand());
        commandLine.setExecutionExceptionHandler(new OneLineErrors());
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("deckhand: " + e.getMessage());
            List<String> suggestions = e instanceof CommandLine.UnmatchedArgumentException unmatched
                    ? unmatched.getSuggestions() : List.of();
            if (!suggestions.isEmpty()) {
                // picocli suggests the options and subcommands closest to a mistyped one.
                failed.getErr().println("hint: did you mean '" + suggestions.get(0) + "'?");
            } else {
                // A mistyped option can surface as another mistake first ("Missing required option").
                mistypedOption(failed.getCommandSpec(), args).ifPresent(failed.getErr()::println);
            }
            failed.getErr().println("hint: see '" + failed.getCommandSpec().qualifiedName() + " --help'");
            return EXIT_USAGE;
        });
        return commandLine;
    }

    /** "unknown option '--form'; did you mean '--from'?" for the first argument that is a mistyped option. */
    static Optional<String> mistypedOption(CommandLine.Model.CommandSpec command, String[] args) {
        for (String arg : args) {
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (name.startsWith("--") && command.findOption(name) == null) {
                Optional<String> nearest = NearestName.of(name, command.optionsMap().keySet());
                if (nearest.isPresent()) {
                    return Optional.of("hint: unknown option '" + name + "'; did you mean '" + nearest.get() + "'?");
                }
            }
        }
        return Optional.empty();
    }
}
