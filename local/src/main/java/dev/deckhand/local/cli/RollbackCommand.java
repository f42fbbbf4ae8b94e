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

/**
 * {@code deckhand rollback}: POST /services/{service}/environments/{env}/rollbacks, signed with
 * SigV4, then follows the deployment it started: the same state machine, lock and health check as
 * any deployment, with the migration skipped.
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Rolls an environment back, through the deployer, to the image it verified before the one it "
                + "last verified (or --to a deployment or digest it verified), and follows the deployment.")
final class RollbackCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "<service>", description = "e.g. storefront")
    String service;

    @Parameters(index = "1", paramLabel = "<env>", description = "e.g. prod")
    String environment;

    @Option(names = "--to", paramLabel = "<deployment-id|sha256:…>",
            description = "A deployment that succeeded in <env>, by id or image digest (default: the previous one).")
    String to;

    @Mixin
    Watch watch;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = out();
        ObjectNode request = DeckhandJson.MAPPER.createObjectNode();
        if (to != null) {
            request.put("to", to);
        }
        SignedApiClient.Answer answer = connection.api().post("/services/" + service + "/environments/" + environment
                + "/rollbacks", request.toString());
        JsonNode body = ApiAnswers.body(answer);
        out.printf("%d Accepted: rollback %s of %s/%s to %s%n  status: ./deckhand status %s%n", answer.status(),
                body.path("deploymentId").asText(), service, environment, body.path("image").asText(),
                body.path("deploymentId").asText());
        try (SfnClient sfn = connection.sfn()) {
            return watch.follow(sfn, connection, body.path("executionArn").asText(), out);
        }
    }
}
