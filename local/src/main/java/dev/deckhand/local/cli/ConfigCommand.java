package dev.deckhand.local.cli;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.config.EnvironmentDefinition;
import dev.deckhand.config.ServiceDefinition;
import dev.deckhand.config.TagPattern;
import dev.deckhand.errors.ConfigurationUnavailableException;
import dev.deckhand.errors.InvalidConfigurationException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code deckhand config}: work with {@code deckhand.yml}. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Work with the Deckhand configuration (deckhand.yml).",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code deckhand config check [file]}. */
    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = {
                    "Validate a configuration file and print every problem, each with its path "
                            + "(e.g. services[api].environments[prod].promoteFrom), or a summary of what it deploys.",
                    "The same loader runs in the handlers and at `cdk synth`."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the configuration is valid", "1:it has problems (all listed)", "2:usage error"})
    static final class Check implements Callable<Integer> {

        @Parameters(paramLabel = "[file]", arity = "0..1", defaultValue = "deckhand.yml",
                description = "The configuration file (default: ${DEFAULT-VALUE}).")
        Path file;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DeckhandConfiguration configuration;
            try {
                configuration = ConfigurationLoader.load(file);
            } catch (ConfigurationUnavailableException e) {
                throw new UserError(e.getMessage(), "name the file: deckhand config check <file>");
            } catch (InvalidConfigurationException e) {
                out.println(e.getMessage());
                return DeckhandCommand.EXIT_REJECTED;
            }
            int environments = configuration.services().values().stream()
                    .mapToInt(service -> service.environments().size()).sum();
            out.printf("%s is valid: %d service%s, %d environment%s%n", file, configuration.services().size(),
                    configuration.services().size() == 1 ? "" : "s", environments, environments == 1 ? "" : "s");
            for (ServiceDefinition service : configuration.services().values()) {
                out.println();
                out.println(service.name());
                for (EnvironmentDefinition environment : service.environments().values()) {
                    out.printf("  %-10s %s/%s  from %s  %s%s%n", environment.name(), environment.cluster(),
                            environment.ecsService(), environment.repository(), howReached(environment),
                            environment.verification() == null ? "" : "; then verified by `"
                                    + String.join(" ", environment.verification().command()) + "`");
                }
            }
            // Valid either way; the functions' iam:PassRole is narrower when every environment names its roles.
            dev.deckhand.catalogue.Policies.rolesAdvice(configuration).ifPresent(advice -> {
                out.println();
                out.println(advice);
            });
            return 0;
        }

        private static String howReached(EnvironmentDefinition environment) {
            String push = environment.deployOnPush().isEmpty() ? null : "on push of "
                    + environment.deployOnPush().stream().map(TagPattern::source).collect(Collectors.joining(", "));
            String promote = environment.promoteFrom() == null ? null : "by promotion from " + environment.promoteFrom()
                    + (environment.soakMinutes() > 0 ? " after " + environment.soakMinutes() + " min there" : "");
            String reached = push == null ? promote : promote == null ? push : push + "; " + promote;
            return environment.approval() == null ? reached : reached + "; approved by a person within "
                    + environment.approval().timeoutMinutes() + " min"
                    + (environment.approval().preventSelfApproval() ? " (not the requester)" : "");
        }
    }
}
