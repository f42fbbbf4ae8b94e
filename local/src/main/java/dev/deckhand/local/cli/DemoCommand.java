package dev.deckhand.local.cli;

import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.local.demo.DemoScenario;
import dev.deckhand.local.demo.DemoScenario.StepResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code deckhand demo}: Deckhand's main job, run locally. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
                "Run real deployments of the sample service through the deployer on a local cloud: push v1 "
                        + "(deployed), push a broken v2 (rolled back to v1), promote v1 dev -> staging -> prod.",
                "Needs no AWS account and no Docker; Wait states and rollouts run in simulated time."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every deployment ended as expected", "1:at least one did not", "2:usage error"})
final class DemoCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "<file>", defaultValue = "deckhand.yml",
            description = "The sample configuration (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--graphs", paramLabel = "<dir>", defaultValue = "deckhand-demo",
            description = "Where each execution's state graph is written as SVG (default: ${DEFAULT-VALUE}).")
    Path graphs;

    @Option(names = "--no-iam", description = "Do not authorize the functions' calls against their roles' policies "
            + "(enforced by default).")
    boolean noIam;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DeckhandConfiguration configuration = CliFiles.configuration(config);
        DemoScenario.unsuitable(configuration).ifPresent(problem -> {
            throw new UserError(problem, "run it from the repository root, or pass --config <the sample deckhand.yml>");
        });
        Instant started = Instant.now();
        List<StepResult> results = new DemoScenario(configuration, spec.commandLine().getOut(), graphs, !noIam).run();
        spec.commandLine().getOut().printf("Demo finished in %.1f s of real time.%n",
                Duration.between(started, Instant.now()).toMillis() / 1000.0);
        return results.stream().allMatch(StepResult::asExpected) ? 0 : DeckhandCommand.EXIT_REJECTED;
    }
}
