package dev.deckhand.local.cli;

import dev.deckhand.local.executions.DeploymentContext;
import dev.deckhand.local.executions.ExecutionProgress;
import dev.deckhand.local.executions.Outcomes;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** Following the deployments a client command started, live, until they end. */
final class Watch {

    @Option(names = "--no-follow", negatable = false,
            description = "Return once the deployment has started, without following it.")
    boolean noFollow;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS",
            description = "Stop following after this many seconds (default: ${DEFAULT-VALUE}); the deployment goes on.")
    long timeoutSeconds;

    /**
     * Follows one execution, state by state, and prints its outcome.
     *
     * @return 0 when the deployment ended as a push or promotion should (SUCCEEDED, or nothing to
     *     do: IGNORED, DUPLICATE, SUPERSEDED), 1 when it failed or rolled back, 3 when still running
     */
    int follow(SfnClient sfn, Connection connection, String executionArn, PrintWriter out) throws InterruptedException {
        out.println("  execution " + executionArn);
        out.flush();
        if (noFollow) {
            return 0;
        }
        Duration poll = connection.local() ? Duration.ofMillis(50) : Duration.ofSeconds(2);
        DescribeExecutionResponse end = new ExecutionProgress(sfn, out, poll)
                .follow(executionArn, Duration.ofSeconds(timeoutSeconds));
        if (end.status() == ExecutionStatus.RUNNING) {
            out.println("  still running after " + timeoutSeconds + " s; follow it with './deckhand graph "
                    + executionArn + "' or the Step Functions console");
            out.flush();
            return 3;
        }
        String outcome = Outcomes.of(end);
        DeploymentContext context = DeploymentContext.of(sfn.getExecutionHistoryPaginator(request -> request
                .executionArn(executionArn)).events().stream().toList());
        String serves = context.describe();
        out.println("  " + outcome + (serves.isEmpty() ? "" : " (" + serves + ")")
                + (outcome.equals("ROLLED_BACK") ? context.rolledBackTo().map(image -> ", rolled back to " + image)
                .orElse("") : "")
                + (end.cause() != null && !Outcomes.isSuccess(outcome)
                ? ": " + ExecutionProgress.failure(end.error(), end.cause()) : ""));
        out.flush();
        return Outcomes.isSuccess(outcome) ? 0 : 1;
    }
}
