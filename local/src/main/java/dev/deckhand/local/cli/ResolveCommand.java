package dev.deckhand.local.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.lambda.LocalLambdaContext;
import dev.deckhand.resolve.ResolveEnvironmentHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code deckhand resolve}: what resolve-env decides for an event, through the real handler. */
@Command(
        name = "resolve",
        mixinStandardHelpOptions = true,
        description = {
                "Print resolve-env's decision for an ECR push event or a promotion request, as JSON.",
                "The decision is a target (outcome DEPLOY), or IGNORED with the reason; invalid input "
                        + "or a refused promotion prints one line on stderr and exits 1.",
                "Sample inputs: events/ecr/*.json, events/promote/*.json, events/invalid/*.json."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:a decision was printed (DEPLOY or IGNORED)",
                "1:the input is invalid or the promotion is refused",
                "2:usage error (missing file, bad option)"})
final class ResolveCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<event.json>", description = "The input file, or - for standard input.")
    String event;

    @Option(names = {"-c", "--config"}, paramLabel = "<file>", defaultValue = "deckhand.yml",
            description = "Deckhand configuration (default: ${DEFAULT-VALUE}).")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DeckhandConfiguration configuration = CliFiles.configuration(config);
        byte[] input = CliFiles.readInput(event, spec);
        ResolveEnvironmentHandler handler = new ResolveEnvironmentHandler(() -> configuration);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input), output,
                new LocalLambdaContext("deckhand-resolve-env", "local", "000000000000"));
        Object decision = DeckhandJson.MAPPER.readTree(output.toByteArray());
        spec.commandLine().getOut().println(DeckhandJson.MAPPER.writer()
                .with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(decision));
        return 0;
    }
}
