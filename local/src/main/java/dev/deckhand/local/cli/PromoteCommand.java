package dev.deckhand.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.api.SignedApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
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

    @Option(names = "--break-glass", paramLabel = "REASON",
            description = "Promote during a freeze of --to all the same, for this reason (only principals its "
                    + "breakGlass names may; recorded in the history and the notifications).")
    String breakGlass;

    @Mixin
    Watch watch;

    /** One promote request. */
    @FunctionalInterface
    interface Request {
        SignedApiClient.Answer send() throws IOException, InterruptedException;
    }

    /** Lets time pass (the wall clock here; simulated time in tests). */
    @FunctionalInterface
    interface Pause {
        void pass(Duration duration) throws InterruptedException;
    }

    /**
     * Sends the promotion until the API stops refusing it for its soak time ({@code 409} with
     * {@code notBefore}), saying each time how long is left; any other answer is returned as it is.
     * The API decides on its own clock, so it is asked again at least every minute.
     */
    static SignedApiClient.Answer whenSoaked(Request request, String from, PrintWriter out, Clock clock, Pause pause)
            throws IOException, InterruptedException {
        SignedApiClient.Answer answer = request.send();
        while (answer.status() == 409) {
            JsonNode refusal = DeckhandJson.MAPPER.readTree(answer.body());
            if (!refusal.hasNonNull("notBefore")) {
                return answer; // waiting will not help: the caller says why
            }
            Instant notBefore = Instant.parse(refusal.path("notBefore").asText());
            Duration left = Duration.between(clock.instant(), notBefore);
            out.printf("soaking in %s: may go at %s (%d min left)%n", from, notBefore,
                    Math.max(0, (left.getSeconds() + 59) / 60));
            out.flush();
            pause.pass(Duration.ofMillis(Math.max(1_000, Math.min(left.toMillis(), 60_000))));
            answer = request.send();
        }
        return answer;
    }

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
        SignedApiClient.Answer answer = waitForSoak
                ? whenSoaked(() -> connection.api().post("/promotions", request.toString()), from, out,
                        Clock.systemUTC(), duration -> Thread.sleep(duration.toMillis()))
                : connection.api().post("/promotions", request.toString());
        JsonNode body = ApiAnswers.body(answer);
        out.printf("%d Accepted: %s %s -> %s, image %s%n  status: ./deckhand status %s%n", answer.status(),
                body.path("deploymentId").asText(), from, to, body.path("image").asText(),
                body.path("deploymentId").asText());
        try (SfnClient sfn = connection.sfn()) {
            return watch.follow(sfn, connection, body.path("executionArn").asText(), out);
        }
    }
}
