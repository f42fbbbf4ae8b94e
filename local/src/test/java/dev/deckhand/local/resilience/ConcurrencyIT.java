package dev.deckhand.local.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Bursts of pushes: one deployment per target at a time, the newest push wins, the older waiting
 * ones end SUPERSEDED, no execution is lost or stuck and no lock stays held.
 */
class ConcurrencyIT {

    private static final int SERVICES = 20;
    private static final int PUSHES_PER_SERVICE = 10;

    @Test
    void fiftyPushesToOneTargetWithinASecondDeployOneAtATimeAndTheLastPushWins() throws Exception {
        long started = System.nanoTime();
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration())
                .ecsConsistencyDelay(ResilienceRuns.ECS_CONSISTENCY_DELAY).start()) {
            ResilienceRuns runs = new ResilienceRuns(deckhand);
            List<ResilienceRuns.Push> pushes = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                pushes.add(new ResilienceRuns.Push("acme/storefront", String.format("feature-burst-%02d", i),
                        ImageBehaviour.healthy()));
            }
            List<EcrImage> pushed = runs.pushApart(pushes, Duration.ofMillis(20));

            Map<String, Long> outcomes = awaitAllEnded(deckhand, runs, pushed.size());
            Duration burst = startSpan(deckhand.executions());
            assertThat(burst).as("the 50 executions start within a second").isLessThan(Duration.ofSeconds(1));

            EcrImage last = pushed.get(pushed.size() - 1);
            assertThat(runs.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(last.uri());
            assertThat(ResilienceRuns.result(runs.finishedExecutionOf(last))).isEqualTo("SUCCEEDED");
            assertThat(outcomes.keySet()).containsOnly("SUCCEEDED", "SUPERSEDED");
            assertThat(outcomes.get("SUPERSEDED")).isGreaterThan(0L);
            assertThat(oneDeploymentAtATime(deckhand, deckhand.executions()))
                    .as("only the executions that succeeded took the lock").isEqualTo(outcomes.get("SUCCEEDED"));
            assertThat(runs.heldLocks()).isEmpty();
            System.out.printf("concurrency, one target: 50 pushes in %d ms of simulated time, %d executions ended %s, 0 running, "
                            + "0 locks held, %.1f s%n", burst.toMillis(), deckhand.executions().size(), outcomes,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    @Test
    void twoHundredPushesOverTwentyServicesEachEndServingTheirLastPush() throws Exception {
        long started = System.nanoTime();
        try (LocalDeckhand deckhand = LocalDeckhand.builder(twentyServices())
                .ecsConsistencyDelay(ResilienceRuns.ECS_CONSISTENCY_DELAY).start()) {
            ResilienceRuns runs = new ResilienceRuns(deckhand);
            List<ResilienceRuns.Push> pushes = new ArrayList<>();
            for (int round = 0; round < PUSHES_PER_SERVICE; round++) {
                for (int service = 0; service < SERVICES; service++) {
                    pushes.add(new ResilienceRuns.Push(repository(service), String.format("build-%02d", round),
                            ImageBehaviour.healthy()));
                }
            }
            List<EcrImage> pushed = runs.pushApart(pushes, Duration.ofMillis(5));
            Map<Integer, EcrImage> lastPushed = new TreeMap<>();
            for (int i = 0; i < pushed.size(); i++) {
                lastPushed.put(i % SERVICES, pushed.get(i));
            }

            Map<String, Long> outcomes = awaitAllEnded(deckhand, runs, SERVICES * PUSHES_PER_SERVICE);
            Duration burst = startSpan(deckhand.executions());

            for (int service = 0; service < SERVICES; service++) {
                assertThat(runs.servingImage(cluster(service), name(service), "app")).as(name(service))
                        .isEqualTo(lastPushed.get(service).uri());
                String repository = repository(service);
                List<ExecutionDescription> ofService = deckhand.executions().stream()
                        .filter(execution -> execution.input().contains(repository)).toList();
                assertThat(oneDeploymentAtATime(deckhand, ofService)).as("executions of %s that took the lock", repository)
                        .isEqualTo(ofService.stream().filter(execution -> ResilienceRuns.result(execution).equals("SUCCEEDED"))
                                .count());
            }
            assertThat(outcomes.keySet()).containsOnly("SUCCEEDED", "SUPERSEDED");
            assertThat(runs.heldLocks()).isEmpty();
            System.out.printf("concurrency, %d services: %d pushes in %d ms of simulated time, %d executions ended %s, 0 running, "
                            + "0 locks held, %.1f s%n", SERVICES, SERVICES * PUSHES_PER_SERVICE, burst.toMillis(),
                    deckhand.executions().size(), outcomes, (System.nanoTime() - started) / 1e9);
        }
    }

    /**
     * Waits until {@code expected} executions exist and every one has ended; asserts none is lost,
     * still running or failed, and counts them by Deckhand outcome.
     */
    static Map<String, Long> awaitAllEnded(LocalDeckhand deckhand, ResilienceRuns runs, int expected)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(ResilienceRuns.TIMEOUT);
        ResilienceRuns.awaitTrue(() -> deckhand.executions().size() >= expected, deadline,
                () -> expected + " executions (" + deckhand.executions().size() + " so far)");
        List<ExecutionDescription> ended = runs.allFinished();
        assertThat(ended).hasSize(expected);
        Map<ExecutionStatus, Long> byStatus = ended.stream()
                .collect(Collectors.groupingBy(ExecutionDescription::status, Collectors.counting()));
        assertThat(byStatus).as("executions by status").containsOnlyKeys(ExecutionStatus.SUCCEEDED)
                .containsEntry(ExecutionStatus.SUCCEEDED, (long) expected);
        return ended.stream().map(ResilienceRuns::result)
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }

    /** From the first execution's start to the last one's, in simulated time. */
    private static Duration startSpan(List<ExecutionDescription> executions) {
        Instant first = executions.stream().map(ExecutionDescription::startDate).min(Comparator.naturalOrder()).orElseThrow();
        Instant last = executions.stream().map(ExecutionDescription::startDate).max(Comparator.naturalOrder()).orElseThrow();
        return Duration.between(first, last);
    }

    /**
     * Asserts that no two executions of one target changed the service at once: the spans from taking
     * the lock (entering "Prepare the release") to releasing it (leaving "Release the lock after
     * success"), in the executions' histories, never overlap. Returns how many took the lock.
     */
    static long oneDeploymentAtATime(LocalDeckhand deckhand, List<ExecutionDescription> executions) {
        record Span(String execution, Instant from, Instant to) {
        }
        List<Span> spans = new ArrayList<>();
        for (ExecutionDescription execution : executions) {
            List<HistoryEvent> history = deckhand.engine().getExecutionHistory(execution.executionArn());
            Instant from = null;
            Instant to = null;
            for (HistoryEvent event : history) {
                if (event.type().equals("TaskStateEntered") && "Prepare the release".equals(event.stateName())) {
                    from = event.timestamp();
                }
                if (event.type().equals("TaskStateExited") && "Record the verified release and release the lock".equals(event.stateName())) {
                    to = event.timestamp();
                }
            }
            if (from != null) {
                assertThat(to).as("lock released by " + execution.executionArn()).isNotNull();
                spans.add(new Span(execution.executionArn(), from, to));
            }
        }
        spans.sort(Comparator.comparing(Span::from));
        for (int i = 1; i < spans.size(); i++) {
            assertThat(spans.get(i).from()).as("%s took the lock before %s released it", spans.get(i).execution(),
                    spans.get(i - 1).execution()).isAfterOrEqualTo(spans.get(i - 1).to());
        }
        assertThat(spans).as("deployments that held the lock").isNotEmpty();
        return spans.size();
    }

    /** Twenty services, each with its own repository, cluster, health check and migration. */
    static DeckhandConfiguration twentyServices() {
        StringBuilder yaml = new StringBuilder("version: 1\nservices:\n");
        for (int service = 0; service < SERVICES; service++) {
            yaml.append("  ").append(name(service)).append(":\n")
                    .append("    repository: ").append(repository(service)).append('\n')
                    .append("    environments:\n")
                    .append("      dev:\n")
                    .append("        cluster: ").append(cluster(service)).append('\n')
                    .append("        service: ").append(name(service)).append('\n')
                    .append("        deployOnPush: [\"build-*\"]\n")
                    .append("        healthCheck:\n")
                    .append("          url: http://").append(name(service)).append(".dev.internal/health\n")
                    .append("        migration:\n")
                    .append("          command: [\"migrate\"]\n");
        }
        return ConfigurationLoader.parse(yaml.toString(), "twenty services (ConcurrencyIT)");
    }

    static String name(int service) {
        return String.format("svc-%02d", service);
    }

    static String repository(int service) {
        return "acme/" + name(service);
    }

    /** Four clusters of five services each. */
    static String cluster(int service) {
        return "cluster-" + service / 5;
    }
}
