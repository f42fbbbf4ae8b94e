package dev.deckhand.local.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.lambda.LocalLambdaContext;
import dev.deckhand.resolve.ResolveEnvironmentHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.errors.DeckhandException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
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
                "Sample inputs: events/ecr/*.json, events/promote/*.json, events/invalid/*.json "
                        + "(events/api/*.json are the promote API's requests, listed as API in a directory).",
                "Given a directory, resolves every .json file under it and prints one line per file."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:a decision was printed (DEPLOY or IGNORED), or a directory was resolved",
                "1:the input is invalid or the promotion is refused",
                "2:usage error (missing file, bad option)"})
final class ResolveCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<event.json>",
            description = "The input file, - for standard input, or a directory of inputs.")
    String event;

    @Option(names = {"-c", "--config"}, paramLabel = "<file>", defaultValue = "deckhand.yml",
            description = "Deckhand configuration (default: ${DEFAULT-VALUE}).")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ResolveEnvironmentHandler handler = new ResolveEnvironmentHandler(ConfigurationSource.of(
                CliFiles.configuration(config)));
        if (!"-".equals(event) && Files.isDirectory(Path.of(event))) {
            resolveDirectory(handler, Path.of(event));
            return 0;
        }
        JsonNode decision = resolve(handler, CliFiles.readInput(event, spec));
        spec.commandLine().getOut().println(DeckhandJson.MAPPER.writer()
                .with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(decision));
        return 0;
    }

    /** One line per file: the outcome and target, the reason it is ignored, or the named error. */
    private void resolveDirectory(ResolveEnvironmentHandler handler, Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
        PrintWriter out = spec.commandLine().getOut();
        int width = files.stream().mapToInt(file -> directory.relativize(file).toString().length()).max().orElse(0);
        for (Path file : files) {
            String name = directory.relativize(file).toString();
            out.printf("%-" + width + "s  %s%n", name, summarise(handler, file));
        }
        out.printf("%d inputs resolved with %s%n", files.size(), config);
    }

    private static String summarise(ResolveEnvironmentHandler handler, Path file) throws IOException {
        byte[] input = Files.readAllBytes(file);
        Optional<String> request = apiGatewayRequest(input);
        if (request.isPresent()) {
            return "API      " + request.get() + ": the promote API's input, not the deployer's (try ./deckhand promote)";
        }
        try {
            JsonNode decision = resolve(handler, input);
            if ("DEPLOY".equals(decision.path("outcome").asText())) {
                return String.format("DEPLOY   %s/%s  %s  (%s)", decision.path("service").asText(),
                        decision.path("environment").asText(), decision.path("deploymentId").asText(),
                        decision.path("image").path("tag").asText("untagged"));
            }
            return "IGNORED  " + decision.path("reason").asText();
        } catch (DeckhandException e) {
            return "ERROR    " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /**
     * The method and path of an API Gateway proxy request (events/api/*.json: what API Gateway hands
     * the promote API's function), which is not resolve-env's input.
     */
    private static Optional<String> apiGatewayRequest(byte[] input) {
        try {
            JsonNode event = DeckhandJson.MAPPER.readTree(input);
            if (event != null && event.path("httpMethod").isTextual() && event.path("requestContext").isObject()) {
                return Optional.of(event.path("httpMethod").asText() + " " + event.path("resource").asText(
                        event.path("path").asText()));
            }
        } catch (IOException notJson) {
            // resolve-env says what is wrong with it.
        }
        return Optional.empty();
    }

    private static JsonNode resolve(ResolveEnvironmentHandler handler, byte[] input) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input), output,
                new LocalLambdaContext("deckhand-resolve-env", "local", "000000000000"));
        return DeckhandJson.MAPPER.readTree(output.toByteArray());
    }
}
