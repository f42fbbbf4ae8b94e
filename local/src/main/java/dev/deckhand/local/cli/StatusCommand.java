package dev.deckhand.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deckhand status}: GET /deployments/{id}, each attempt with its steps' timings. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows a deployment: its outcome and each attempt, with who or what started it and its steps' timings.")
final class StatusCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "<deployment-id>", description = "e.g. storefront.dev.0123456789abcdef")
    String deploymentId;

    @Option(names = "--json", description = "Print the API's JSON answer as it is.")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = out();
        JsonNode body = ApiAnswers.body(connection.api().get("/deployments/"
                + URLEncoder.encode(deploymentId, StandardCharsets.UTF_8)));
        if (json) {
            out.println(body.toPrettyString());
            out.flush();
            return 0;
        }
        out.printf("%s  %s%n", body.path("deploymentId").asText(), body.path("outcome").asText());
        FreezeCommands.printFreeze(out, body);
        for (JsonNode attempt : body.path("attempts")) {
            out.printf("  attempt %d  %s  %s  by %s%n", attempt.path("attempt").asInt(), attempt.path("outcome").asText(),
                    attempt.path("trigger").asText("-"), attempt.path("requestedBy").asText("-"));
            out.printf("    image     %s%s%n", attempt.path("image").asText("-"),
                    attempt.hasNonNull("tag") ? " (" + attempt.path("tag").asText() + ")" : "");
            out.printf("    started   %s%n    finished  %s%n", attempt.path("startedAt").asText("-"),
                    attempt.path("finishedAt").asText("-"));
            if (attempt.hasNonNull("reason")) {
                out.printf("    reason    %s%n", attempt.path("reason").asText());
            }
            if (attempt.path("timings").isObject()) {
                out.println("    timings");
                attempt.path("timings").fields().forEachRemaining(step ->
                        out.printf("      %-12s %s%n", step.getKey(), step.getValue().asText(step.getValue().toString())));
            }
            out.printf("    execution %s%n", attempt.path("executionArn").asText("-"));
            if (attempt.hasNonNull("serviceDeploymentArn")) {
                out.printf("    ECS service deployment  %s%n", attempt.path("serviceDeploymentArn").asText());
            }
            if (attempt.hasNonNull("rollbackServiceDeploymentArn")) {
                out.printf("    ECS rollback deployment %s%n", attempt.path("rollbackServiceDeploymentArn").asText());
            }
        }
        out.flush();
        return 0;
    }
}
