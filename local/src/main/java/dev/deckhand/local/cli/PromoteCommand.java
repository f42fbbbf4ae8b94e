package dev.deckhand.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.api.SignedApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
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

    @Option(names = "--wait", description = "If the image has not soaked long enough in --from (soakMinutes), wait "
            + "until it has, then promote.")
    boolean waitForSoak;

    @Mixin
    Watch watch;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = out();
        ObjectNode request = DeckhandJson.MAPPER.createObjectNode().put("service", service).put("from", from).put("to", to);
        if (digest != null) {
            request.put("digest", digest);
        }
        SignedApiClient.Answer answer = connection.api().post("/promotions", request.toString());
        while (waitForSoak && answer.status() == 409) {
            JsonNode refusal = DeckhandJson.MAPPER.readTree(answer.body());
            if (!refusal.hasNonNull("notBefore")) {
                break; // waiting will not help: say why below
            }
            Instant notBefore = Instant.parse(refusal.path("notBefore").asText());
            Duration left = Duration.between(Instant.now(), notBefore);
            out.printf("soaking in %s: may go at %s (%d min left)%n", from, notBefore, (left.getSeconds() + 59) / 60);
            out.flush();
            // The API decides on its own clock; asking again at least every minute shows progress and
            // notices a clock that moves differently (deckhand demo's simulated time).
            Thread.sleep(Math.max(1_000, Math.min(left.toMillis(), 60_000)));
            answer = connection.api().post("/promotions", request.toString());
        }
        JsonNode body = ApiAnswers.body(answer);
        out.printf("%d Accepted: %s %s -> %s, image %s%n  status: ./deckhand status %s%n", answer.status(),
                body.path("deploymentId").asText(), from, to, body.path("image").asText(),
                body.path("deploymentId").asText());
        try (SfnClient sfn = connection.sfn()) {
            return watch.follow(sfn, connection, body.path("executionArn").asText(), out);
        }
    }
}
