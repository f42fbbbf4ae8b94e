package dev.deckhand.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deckhand history}: GET /services/{service}/environments/{env}/deployments, newest first, a page at a time. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Lists the recent deployments of a service in an environment, newest first.")
final class HistoryCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "<service>")
    String service;

    @Parameters(index = "1", paramLabel = "<environment>")
    String environment;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "Deployments per page (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--next-token", paramLabel = "TOKEN", description = "The page after the one that printed this token.")
    String nextToken;

    @Option(names = "--json", description = "Print the API's JSON answer as it is.")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = out();
        String path = "/services/" + encode(service) + "/environments/" + encode(environment) + "/deployments?limit="
                + limit + (nextToken == null ? "" : "&nextToken=" + encode(nextToken));
        JsonNode body = ApiAnswers.body(connection.api().get(path));
        if (json) {
            out.println(body.toPrettyString());
            out.flush();
            return 0;
        }
        FreezeCommands.printFreeze(out, body);
        if (body.path("deployments").isEmpty()) {
            out.printf("no deployments of %s to %s yet%n", service, environment);
        } else {
            out.printf("%-24s %-36s %-3s %-16s %-8s %s%n", "STARTED", "DEPLOYMENT", "#", "OUTCOME", "TRIGGER", "TAG");
        }
        for (JsonNode attempt : body.path("deployments")) {
            out.printf("%-24s %-36s %-3d %-16s %-8s %s%n", attempt.path("startedAt").asText("-"),
                    attempt.path("deploymentId").asText(), attempt.path("attempt").asInt(),
                    attempt.path("outcome").asText(), attempt.path("trigger").asText("-"), attempt.path("tag").asText("-"));
        }
        if (body.hasNonNull("nextToken")) {
            out.printf("more: ./deckhand history %s %s --limit %d --next-token %s%n", service, environment, limit,
                    body.path("nextToken").asText());
        }
        out.flush();
        return 0;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
