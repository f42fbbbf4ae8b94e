package dev.deckhand.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.api.SignedApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.sfn.SfnClient;

/** {@code deckhand promote}: POST /promotions, signed with SigV4, then follows the deployment it started. */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = "Promotes the image an environment last verified (or --digest) into the next one, through "
                + "Deckhand's promote API, and follows the deployment.")
final class PromoteCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "<service>", description = "e.g. storefront")
    String service;

    @Option(names = "--from", required = true, paramLabel = "ENV", description = "The environment that verified the image.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "ENV", description = "The environment to deploy it to.")
    String to;

    @Option(names = "--digest", paramLabel = "sha256:…",
            description = "A digest that deployed successfully to --from (default: the one it runs now).")
    String digest;

    @Option(names = "--break-glass", paramLabel = "REASON",
            description = "Promote during a freeze of --to all the same, for this reason (only principals its "
                    + "breakGlass names may; recorded in the history and the notifications).")
    String breakGlass;

    @Mixin
    Watch watch;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = out();
        ObjectNode request = DeckhandJson.MAPPER.createObjectNode().put("service", service).put("from", from).put("to", to);
        if (digest != null) {
            request.put("digest", digest);
        }
        if (breakGlass != null) {
            request.put("breakGlass", breakGlass);
        }
        SignedApiClient.Answer answer = connection.api().post("/promotions", request.toString());
        JsonNode body = ApiAnswers.body(answer);
        out.printf("%d Accepted: %s %s -> %s, image %s%n  status: ./deckhand status %s%n", answer.status(),
                body.path("deploymentId").asText(), from, to, body.path("image").asText(),
                body.path("deploymentId").asText());
        try (SfnClient sfn = connection.sfn()) {
            return watch.follow(sfn, connection, body.path("executionArn").asText(), out);
        }
    }
}
