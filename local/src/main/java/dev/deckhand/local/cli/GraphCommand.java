package dev.deckhand.local.cli;

import dev.deckhand.local.executions.ExecutionGraph;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.sfn.SfnClient;

/** {@code deckhand graph}: an execution's state graph with the path it took, as an SVG file. */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = "Draws an execution as the console's graph view does (the path taken in green, where it "
                + "ended in red) and writes it as an SVG file.")
final class GraphCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "<execution-arn>")
    String executionArn;

    @Option(names = {"-o", "--output"}, paramLabel = "<file>",
            description = "Where to write the SVG (default: <execution name>.svg in the current directory).")
    Path output;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = out();
        ExecutionGraph graph;
        try (SfnClient sfn = connection.sfn()) {
            graph = ExecutionGraph.read(sfn, executionArn);
        }
        Path file = output != null ? output
                : Path.of(executionArn.substring(executionArn.lastIndexOf(':') + 1) + ".svg");
        Files.writeString(file, graph.svg(), StandardCharsets.UTF_8);
        out.println("wrote " + file.toAbsolutePath());
        out.flush();
        return 0;
    }
}
