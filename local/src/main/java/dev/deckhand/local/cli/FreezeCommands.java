package dev.deckhand.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code deckhand freeze} and {@code deckhand unfreeze}: PUT and DELETE
 * /services/{service}/environments/{env}/freeze, signed with SigV4. The API checks everything
 * (service, environment, reason, until) before it writes anything.
 */
final class FreezeCommands {

    private FreezeCommands() {
    }

    @Command(name = "freeze", mixinStandardHelpOptions = true,
            description = "Freezes an environment of a service (or of all services) by hand: pushes wait or are "
                    + "refused as in a freeze window, promotions are refused unless break-glass.")
    static final class Freeze extends ClientCommand {

        @Parameters(index = "0", paramLabel = "<service|all>", description = "a service, or all")
        String service;

        @Parameters(index = "1", paramLabel = "<environment>")
        String environment;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, for the people it stops.")
        String reason;

        @Option(names = "--until", paramLabel = "WHEN",
                description = "An instant (2026-12-24T08:00:00Z) or a duration (90m, 2h, 3d); without it, until unfrozen.")
        String until;

        @Override
        public Integer call() throws IOException, InterruptedException {
            ObjectNode request = DeckhandJson.MAPPER.createObjectNode().put("reason", reason);
            if (until != null) {
                request.put("until", until);
            }
            JsonNode body = ApiAnswers.body(connection.api().put(path(service, environment), request.toString()));
            PrintWriter out = out();
            out.printf("frozen: %s/%s by %s, %s (%s)%n", body.path("service").asText(), body.path("environment").asText(),
                    body.path("by").asText(), body.hasNonNull("until") ? "until " + body.path("until").asText()
                            : "until unfrozen", body.path("reason").asText());
            out.flush();
            return 0;
        }
    }

    @Command(name = "unfreeze", mixinStandardHelpOptions = true,
            description = "Ends an ad-hoc freeze; waiting pushes go at their next check (within 15 minutes).")
    static final class Unfreeze extends ClientCommand {

        @Parameters(index = "0", paramLabel = "<service|all>", description = "a service, or all")
        String service;

        @Parameters(index = "1", paramLabel = "<environment>")
        String environment;

        @Override
        public Integer call() throws IOException, InterruptedException {
            JsonNode body = ApiAnswers.body(connection.api().delete(path(service, environment)));
            out().printf("unfrozen: %s%n", body.path("unfrozen").asText());
            out().flush();
            return 0;
        }
    }

    private static String path(String service, String environment) {
        return "/services/" + URLEncoder.encode(service, StandardCharsets.UTF_8) + "/environments/"
                + URLEncoder.encode(environment, StandardCharsets.UTF_8) + "/freeze";
    }

    /** The line {@code status} and {@code history} print for a freeze in the API's answer, if any. */
    static void printFreeze(PrintWriter out, JsonNode body) {
        JsonNode freeze = body.path("freeze");
        if (freeze.isObject()) {
            out.printf("FROZEN by %s since %s, %s: %s%n", freeze.path("by").asText(), freeze.path("since").asText(),
                    freeze.hasNonNull("until") ? "until " + freeze.path("until").asText() : "until unfrozen",
                    freeze.path("reason").asText());
        }
    }
}
