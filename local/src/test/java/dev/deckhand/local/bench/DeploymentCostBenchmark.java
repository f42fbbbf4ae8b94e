package dev.deckhand.local.bench;

import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.testing.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one deployment costs in Step Functions state transitions and Lambda invocations, on the
 * real definition with the real handlers (local cloud, simulated time), for the success,
 * rollback and ignore paths, and the AWS price of each. Not a test: it prints figures.
 *
 * <p>For comparison, what a CI job costs that deploys the same way from a runner: it holds the
 * runner while it waits for the migration, the rollout and the health checks.
 *
 * <p>Run through {@link BenchmarkSuite}: {@code ./mvnw -B -q -Pbench -pl local -am verify -Dbench=cost}.
 */
public final class DeploymentCostBenchmark {

    /** Standard workflows: USD 0.025 per 1,000 state transitions (us-east-1 list price). */
    private static final double PER_TRANSITION = 0.025 / 1000;
    /** Lambda: USD 0.20 per million requests, plus compute: 1 GB-s costs USD 0.0000133334 on arm64. */
    private static final double PER_INVOCATION = 0.20 / 1_000_000;
    private static final double PER_GB_SECOND_ARM = 0.0000133334;
    /** An assumed 300 ms at 1 GB per invocation, a generous figure for these handlers once warm. */
    private static final double GB_SECONDS_PER_INVOCATION = 0.3;
    /**
     * GitHub Actions standard Linux 2-core runner: USD 0.006 per minute from January 1, 2026 (0.008
     * before), each job rounded up to whole minutes. Source, read 2026-11-23:
     * https://docs.github.com/en/billing/reference/actions-runner-pricing (github/docs,
     * data/reusables/billing/actions-standard-runner-prices.md).
     */
    private static final double GITHUB_LINUX_2_CORE_PER_MINUTE = 0.006;
    private static final List<Integer> CI_JOB_MINUTES = List.of(20, 30);

    public static void main(String[] args) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        double success;
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start()) {
            success = report(deckhand, "success (migration, rollout, health)", "main-1", ImageBehaviour.healthy(), rows);
            report(deckhand, "rollback (8 unhealthy health rounds, roll back, verify)", "main-2",
                    ImageBehaviour.unhealthy(), rows);
            report(deckhand, "ignored push (a tag no environment takes)", "latest", ImageBehaviour.healthy(), rows);
        }
        System.out.println("The real `deployer.asl.json`, the real handlers, the local cloud, simulated time "
                + "(default simulated ECS timing).");
        System.out.println();
        Figures.table(List.of("Path", "State transitions", "Lambda invocations (by the deployer + by ECS events)",
                "USD per deployment", "Simulated duration"), rows);
        System.out.println();
        System.out.println("Prices: Standard workflows USD 0.025 per 1,000 state transitions; Lambda USD 0.20 per "
                + "million requests plus an assumed 0.3 GB-s per invocation on arm64.");
        System.out.println();
        List<List<String>> ci = new ArrayList<>();
        for (int minutes : CI_JOB_MINUTES) {
            double usd = minutes * GITHUB_LINUX_2_CORE_PER_MINUTE;
            ci.add(List.of("a CI job holding a GitHub-hosted Linux 2-core runner for " + minutes + " min",
                    String.format(Locale.ROOT, "%.3f", usd),
                    String.format(Locale.ROOT, "%,.0f×", usd / success)));
        }
        Figures.table(List.of("Deploying from CI instead", "USD per deployment", "Deckhand's success path is cheaper by"),
                ci);
        System.out.println();
        System.out.println("GitHub Actions: USD 0.006 per minute for a standard Linux 2-core runner from January 1, "
                + "2026 (https://docs.github.com/en/billing/reference/actions-runner-pricing, read 2026-11-23); "
                + "minutes are rounded up per job; public repositories and each plan's included minutes are free.");
    }

    /** Adds the path's row; its USD per deployment. */
    private static double report(LocalDeckhand deckhand, String path, String tag, ImageBehaviour behaviour,
            List<List<String>> rows) throws InterruptedException {
        int deliveriesBefore = deckhand.cloud().events().deliveries().size();
        EcrImage image = deckhand.push("acme/storefront", List.of(tag), behaviour);
        ExecutionDescription end = finished(deckhand, image);
        List<HistoryEvent> history = deckhand.engine().getExecutionHistory(end.executionArn());
        // Step Functions bills a state transition each time a step of the workflow is executed,
        // retries included (https://aws.amazon.com/step-functions/pricing/).
        long transitions = history.stream().filter(event -> event.type().endsWith("StateEntered")).count()
                + history.stream().filter(event -> event.type().equals("TaskScheduled")).count()
                - history.stream().filter(event -> event.type().equals("TaskStateEntered")).count();
        long byDeployer = history.stream().filter(event -> event.type().equals("TaskScheduled")).count();
        // wait-router invoked by the rules on ECS's events about this deployment's service and cluster (the
        // deployments run one after another; the seeded services' own first rollouts are not counted).
        long byEvents = deckhand.cloud().events().deliveries().stream().skip(deliveriesBefore)
                .filter(delivery -> delivery.targetArn().startsWith("arn:aws:lambda:"))
                .filter(delivery -> delivery.event().path("resources").path(0).asText().endsWith("/acme-dev/storefront-dev")
                        || delivery.event().path("detail").path("clusterArn").asText().endsWith("/acme-dev"))
                .count();
        long invocations = byDeployer + byEvents;
        double usd = transitions * PER_TRANSITION
                + invocations * (PER_INVOCATION + GB_SECONDS_PER_INVOCATION * PER_GB_SECOND_ARM);
        rows.add(List.of(path, String.valueOf(transitions), invocations + " (" + byDeployer + " + " + byEvents + ")",
                String.format(Locale.ROOT, "%.6f", usd),
                Duration.between(end.startDate(), end.stopDate()).toSeconds() + " s"));
        return usd;
    }

    private static ExecutionDescription finished(LocalDeckhand deckhand, EcrImage image) throws InterruptedException {
        return deckhand.awaitCompletion(deckhand.executionStartedBy(image, Duration.ofSeconds(60)), Duration.ofSeconds(60));
    }
}
