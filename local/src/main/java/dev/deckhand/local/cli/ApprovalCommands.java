package dev.deckhand.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.api.SignedApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code deckhand approve} and {@code deckhand reject}: POST /deployments/{id}/approval, signed
 * with SigV4. The deployment then goes on (or ends REJECTED) in the deployer; {@code status} follows it.
 */
final class ApprovalCommands {

    private ApprovalCommands() {
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approves a deployment that waits for approval; it then deploys.")
    static final class Approve extends ClientCommand {

        @Parameters(index = "0", paramLabel = "<deployment-id>", description = "e.g. storefront.prod.3f2a9c1d4b5e6f70")
        String deploymentId;

        @Option(names = "--comment", paramLabel = "TEXT", description = "Why, for the history.")
        String comment;

        @Override
        public Integer call() throws IOException, InterruptedException {
            return answer(this, deploymentId, "approve", comment);
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = "Rejects a deployment that waits for approval; nothing changes and it ends REJECTED.")
    static final class Reject extends ClientCommand {

        @Parameters(index = "0", paramLabel = "<deployment-id>", description = "e.g. storefront.prod.3f2a9c1d4b5e6f70")
        String deploymentId;

        @Option(names = "--comment", required = true, paramLabel = "TEXT", description = "Why, for the history.")
        String comment;

        @Override
        public Integer call() throws IOException, InterruptedException {
            return answer(this, deploymentId, "reject", comment);
        }
    }

    private static int answer(ClientCommand command, String deploymentId, String decision, String comment)
            throws IOException, InterruptedException {
        PrintWriter out = command.out();
        ObjectNode request = DeckhandJson.MAPPER.createObjectNode().put("decision", decision);
        if (comment != null) {
            request.put("comment", comment);
        }
        SignedApiClient.Answer answer = command.connection.api().post("/deployments/" + deploymentId + "/approval",
                request.toString());
        JsonNode body = ApiAnswers.body(answer);
        out.printf("%d Accepted: %s %s by %s%n  status: ./deckhand status %s%n", answer.status(),
                body.path("deploymentId").asText(), "approve".equals(decision) ? "approved" : "rejected",
                body.path("by").asText(), body.path("deploymentId").asText());
        return 0;
    }
}
