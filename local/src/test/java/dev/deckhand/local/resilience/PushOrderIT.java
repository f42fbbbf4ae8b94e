package dev.deckhand.local.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.deployment.ImageDigest;
import dev.deckhand.local.Clients;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * "Newest" is the newest push, by when ECR received it, never by when an execution happened to
 * start. Bursts are pushed from threads released at one instant (so executions start in any
 * order); a late delivery of an older push is simulated the way EventBridge retries a delivery
 * (for up to 24 h, "Event retry policy and using dead-letter queues", EventBridge user guide):
 * the same event, started later. Afterwards: ECS serves the push ECR recorded last (its
 * {@code imagePushedAt}, ties broken by digest, API_ImageDetail), the history's verified revision
 * is that push's, every execution ended, and no lock is held.
 */
class PushOrderIT {

    private static final int THREADS = 8;

    @Test
    void aThousandPushesFromEightThreadsAtOneInstantEndServingThePushEcrRecordedLast() throws Exception {
        long started = System.nanoTime();
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start()) {
            ResilienceRuns runs = new ResilienceRuns(deckhand);
            List<EcrImage> pushed = burst(deckhand, 1000, i -> "acme/storefront", i -> String.format("feature-o-%04d", i));

            Map<String, Long> outcomes = ConcurrencyIT.awaitAllEnded(deckhand, runs, pushed.size());

            EcrImage last = lastPushed(deckhand, pushed);
            assertThat(runs.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(last.uri());
            assertThat(ResilienceRuns.result(runs.finishedExecutionOf(last))).isEqualTo("SUCCEEDED");
            assertThat(deckhand.history().lastVerified("storefront", "dev").orElseThrow().image()).isEqualTo(last.uri());
            assertThat(outcomes.keySet()).containsOnly("SUCCEEDED", "SUPERSEDED");
            assertThat(outcomes.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1000);
            assertThat(ConcurrencyIT.oneDeploymentAtATime(deckhand, deckhand.executions()))
                    .isEqualTo(outcomes.get("SUCCEEDED"));
            assertThat(runs.heldLocks()).isEmpty();
            System.out.printf("push order, one target: 1000 pushes from %d threads released at once, executions ended %s, "
                    + "0 locks held, %.1f s%n", THREADS, outcomes, (System.nanoTime() - started) / 1e9);
        }
    }

    @Test
    void twoHundredPushesOverTwentyTargetsAtOneInstantEachServeThePushEcrRecordedLast() throws Exception {
        long started = System.nanoTime();
        int services = 20;
        try (LocalDeckhand deckhand = LocalDeckhand.builder(ConcurrencyIT.twentyServices()).start()) {
            ResilienceRuns runs = new ResilienceRuns(deckhand);
            List<EcrImage> pushed = burst(deckhand, 200, i -> ConcurrencyIT.repository(i % services),
                    i -> String.format("build-%03d", i));

            Map<String, Long> outcomes = ConcurrencyIT.awaitAllEnded(deckhand, runs, pushed.size());

            for (int service = 0; service < services; service++) {
                String repository = ConcurrencyIT.repository(service);
                EcrImage last = lastPushed(deckhand, pushed.stream().filter(image -> image.repositoryName().equals(repository))
                        .toList());
                assertThat(runs.servingImage(ConcurrencyIT.cluster(service), ConcurrencyIT.name(service), "app"))
                        .as(repository).isEqualTo(last.uri());
                assertThat(deckhand.history().lastVerified(ConcurrencyIT.name(service), "dev").orElseThrow().image())
                        .as(repository).isEqualTo(last.uri());
            }
            assertThat(outcomes.keySet()).containsOnly("SUCCEEDED", "SUPERSEDED");
            assertThat(runs.heldLocks()).isEmpty();
            System.out.printf("push order, %d targets: 200 pushes from %d threads released at once, executions ended %s, "
                    + "0 locks held, %.1f s%n", services, THREADS, outcomes, (System.nanoTime() - started) / 1e9);
        }
    }

    @Test
    void anOlderPushDeliveredAfterANewerOneDeployedEndsSupersededWithoutTouchingEcs() throws Exception {
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start()) {
            ResilienceRuns runs = new ResilienceRuns(deckhand);
            HeldPush held = pushWithoutDelivery(deckhand, "feature-older");
            EcrImage older = held.image();
            String olderEvent = held.event();
            runs.letTimePass(Duration.ofSeconds(5));
            EcrImage newer = deckhand.push("acme/storefront", List.of("feature-newer"), ImageBehaviour.healthy());
            assertThat(ResilienceRuns.result(runs.finishedExecutionOf(newer))).isEqualTo("SUCCEEDED");
            String revision = runs.primary("acme-dev", "storefront-dev").taskDefinition();
            int revisions = runs.revisions("storefront-dev");
            runs.letTimePass(Duration.ofMinutes(30));

            // EventBridge's retry: the older push's own event, delivered now.
            ExecutionDescription late = deckhand.awaitCompletion(deckhand.startExecution(olderEvent),
                    ResilienceRuns.TIMEOUT);

            assertThat(ResilienceRuns.result(late)).isEqualTo("SUPERSEDED");
            assertThat(runs.statesEntered(late.executionArn())).doesNotContain("Prepare the release", "Update the service");
            assertThat(runs.primary("acme-dev", "storefront-dev").taskDefinition()).isEqualTo(revision);
            assertThat(runs.revisions("storefront-dev")).isEqualTo(revisions);
            assertThat(runs.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(newer.uri());
            assertThat(runs.historyOutcome("storefront", "dev", late.executionArn()).name()).isEqualTo("SUPERSEDED");
            assertThat(deckhand.history().lastVerified("storefront", "dev").orElseThrow().image()).isEqualTo(newer.uri());
            assertThat(older.uri()).isNotEqualTo(newer.uri());
            assertThat(runs.heldLocks()).isEmpty();
        }
    }

    @Test
    void anOlderPushDeliveredWhileANewerOneIsDeployingEndsSupersededAndTheNewerOneStillDeploys() throws Exception {
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start()) {
            ResilienceRuns runs = new ResilienceRuns(deckhand);
            HeldPush held = pushWithoutDelivery(deckhand, "feature-older");
            EcrImage older = held.image();
            String olderEvent = held.event();
            runs.letTimePass(Duration.ofSeconds(5));

            String newerExecution;
            ExecutionDescription late;
            EcrImage newer;
            // Simulated time stands still while this activity is open: the newer deployment holds the
            // lock, waiting for its migration, while the older push's late delivery runs.
            dev.deckhand.statemachine.clock.EngineClock.Activity hold = deckhand.clock().beginActivity();
            try {
                newer = deckhand.push("acme/storefront", List.of("feature-newer"), ImageBehaviour.healthy());
                java.time.Instant deadline = java.time.Instant.now().plus(ResilienceRuns.TIMEOUT);
                ResilienceRuns.awaitTrue(() -> !runs.startedBy(newer).isEmpty()
                        && runs.statesEntered(runs.startedBy(newer).get(0).executionArn()).stream()
                                .anyMatch(state -> state.equals("Start database migration") || state.equals("Update the service")),
                        deadline, () -> "the newer deployment holding the lock, waiting for its migration");
                newerExecution = runs.startedBy(newer).get(0).executionArn();
                String lateExecution = deckhand.startExecution(olderEvent);
                ResilienceRuns.awaitTrue(() -> deckhand.executions().stream().anyMatch(execution ->
                                execution.executionArn().equals(lateExecution) && execution.status()
                                        != dev.deckhand.statemachine.ExecutionStatus.RUNNING),
                        deadline, () -> "the late delivery ended");
                late = deckhand.executions().stream().filter(execution -> execution.executionArn().equals(lateExecution))
                        .findFirst().orElseThrow();
                assertThat(runs.heldLocks()).as("the newer deployment still holds the lock").hasSize(1);
            } finally {
                hold.close();
            }

            assertThat(ResilienceRuns.result(late)).isEqualTo("SUPERSEDED");
            assertThat(runs.statesEntered(late.executionArn())).doesNotContain("Prepare the release", "Update the service");
            assertThat(ResilienceRuns.result(deckhand.awaitCompletion(newerExecution, ResilienceRuns.TIMEOUT)))
                    .isEqualTo("SUCCEEDED");
            assertThat(runs.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(newer.uri());
            assertThat(runs.historyOutcome("storefront", "dev", late.executionArn()).name()).isEqualTo("SUPERSEDED");
            assertThat(deckhand.history().lastVerified("storefront", "dev").orElseThrow().image()).isEqualTo(newer.uri());
            assertThat(older.uri()).isNotEqualTo(newer.uri());
            assertThat(runs.heldLocks()).isEmpty();
        }
    }

    /** Pushes {@code count} images from {@link #THREADS} threads released at one instant. */
    private static List<EcrImage> burst(LocalDeckhand deckhand, int count, java.util.function.IntFunction<String> repository,
            java.util.function.IntFunction<String> tag) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<EcrImage> pushed = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                int first = thread;
                done.add(threads.submit(() -> {
                    start.await();
                    for (int i = first; i < count; i += THREADS) {
                        pushed.add(deckhand.push(repository.apply(i), List.of(tag.apply(i)), ImageBehaviour.healthy()));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(pushed).hasSize(count);
        return pushed;
    }

    /** The push ECR recorded last: latest {@code imagePushedAt}, then the highest digest (Deckhand's tie-break). */
    private static EcrImage lastPushed(LocalDeckhand deckhand, List<EcrImage> images) {
        record Pushed(EcrImage image, Instant at) {
        }
        List<Pushed> described;
        try (EcrClient ecr = Clients.ecr(deckhand.cloud())) {
            described = images.stream().map(image -> new Pushed(image, ecr.describeImages(request -> request
                    .repositoryName(image.repositoryName()).imageIds(id -> id.imageDigest(image.digest())))
                    .imageDetails().get(0).imagePushedAt())).collect(Collectors.toList());
        }
        return described.stream().max(Comparator.comparing(Pushed::at)
                .thenComparing(pushed -> DeploymentId.of("s", "e", new ImageDigest(pushed.image().digest())).value()))
                .orElseThrow().image();
    }

    /** A push whose event EventBridge has not delivered yet, and that event, to deliver later. */
    private record HeldPush(EcrImage image, String event) {
    }

    /**
     * Pushes an image whose delivery fails for now, as when EventBridge will retry it later: the push
     * rule matches nothing while it is pushed, then matches pushes again.
     */
    private static HeldPush pushWithoutDelivery(LocalDeckhand deckhand, String tag) {
        deckhand.cloud().events().putRule(LocalDeckhand.PUSH_RULE, "{\"source\": [\"nobody\"]}");
        int before = deckhand.cloud().events().events().size();
        EcrImage image = deckhand.push("acme/storefront", List.of(tag), ImageBehaviour.healthy());
        String event = deckhand.cloud().events().events().get(before).toString();
        deckhand.cloud().events().putRule(LocalDeckhand.PUSH_RULE,
                dev.deckhand.events.EcrPushPattern.forConfiguration(Fixtures.sampleConfiguration()));
        return new HeldPush(image, event);
    }
}
