package dev.deckhand.local.bench;

import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one deployment costs in Step Functions state transitions and Lambda invocations, on the
 * real definition with the real handlers (local cloud, simulated time), for the success,
 * rollback and ignore paths, and the AWS price of each. Not a test: it prints figures.
 *
 * <p>Run: {@code ./mvnw -q -pl local -am install -DskipTests && ./mvnw -q -pl local exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.deckhand.local.bench.DeploymentCostBenchmark}
 */
public final class DeploymentCostBenchmark {

    /** Standard workflows: USD 0.025 per 1,000 state transitions (us-east-1 list price). */
    private static final double PER_TRANSITION = 0.025 / 1000;
    /** Lambda: USD 0.20 per million requests, plus compute: 1 GB-s costs USD 0.0000133334 on arm64. */
    private static final double PER_INVOCATION = 0.20 / 1_000_000;
    private static final double PER_GB_SECOND_ARM = 0.0000133334;
    /** An assumed 300 ms at 1 GB per invocation, a generous figure for these handlers once warm. */
    private static final double GB_SECONDS_PER_INVOCATION = 0.3;

    public static void main(String[] args) throws Exception {
        // Handler logs to stderr at WARN, as the command line has them: stdout is for the figures.
        System.setProperty("log4j2.configurationFile", "deckhand-cli-log4j2.xml");
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start()) {
            System.out.println("Deployment cost on deployer.asl.json (state transitions and Lambda invocations)");
            System.out.printf("%-44s %12s %12s %12s %10s%n", "Path", "Transitions", "Invocations", "USD", "Simulated");
            report(deckhand, "success (migration, rollout, health)", deckhand.push("acme/storefront",
                    List.of("main-1"), ImageBehaviour.healthy()));
            report(deckhand, "rollback (8 unhealthy rounds, roll back)", deckhand.push("acme/storefront",
                    List.of("main-2"), ImageBehaviour.unhealthy()));
            report(deckhand, "ignored push (tag no environment takes)", deckhand.push("acme/storefront",
                    List.of("latest"), ImageBehaviour.healthy()));
            System.out.println("Prices: Standard workflow USD 0.025 per 1,000 transitions; Lambda USD 0.20 per million "
                    + "requests and an assumed 0.3 GB-s per invocation on arm64.");
            System.out.println("Command: ./mvnw -q -pl local -am install -DskipTests && ./mvnw -q -pl local exec:java "
                    + "-Dexec.classpathScope=test -Dexec.mainClass=dev.deckhand.local.bench.DeploymentCostBenchmark");
        }
    }

    private static void report(LocalDeckhand deckhand, String path, EcrImage image) throws InterruptedException {
        ExecutionDescription end = finished(deckhand, image);
        List<HistoryEvent> history = deckhand.engine().getExecutionHistory(end.executionArn());
        // Step Functions bills a state transition each time a step of the workflow is executed,
        // retries included (https://aws.amazon.com/step-functions/pricing/).
        long transitions = history.stream().filter(event -> event.type().endsWith("StateEntered")).count()
                + history.stream().filter(event -> event.type().equals("TaskScheduled")).count()
                - history.stream().filter(event -> event.type().equals("TaskStateEntered")).count();
        long invocations = history.stream().filter(event -> event.type().equals("TaskScheduled")).count();
        double usd = transitions * PER_TRANSITION
                + invocations * (PER_INVOCATION + GB_SECONDS_PER_INVOCATION * PER_GB_SECOND_ARM);
        System.out.printf("%-44s %12d %12d %12.6f %10s%n", path, transitions, invocations, usd,
                Duration.between(end.startDate(), end.stopDate()).toSeconds() + " s");
    }

    private static ExecutionDescription finished(LocalDeckhand deckhand, EcrImage image) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            for (ExecutionDescription execution : deckhand.executions()) {
                if (execution.input().contains(image.digest())) {
                    return deckhand.awaitCompletion(execution.executionArn(), Duration.ofSeconds(60));
                }
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no execution for " + image.uri());
    }
}
