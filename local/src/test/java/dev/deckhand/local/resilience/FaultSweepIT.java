package dev.deckhand.local.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.deployment.Outcome;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.fault.FaultInjector;
import dev.deckhand.local.fault.FaultKind;
import dev.deckhand.local.fault.FaultRule;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.testing.Fixtures;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.ecs.model.Deployment;

/**
 * Every AWS operation Deckhand calls gets throttled, 5xx, delayed or dropped at a fixed rate, and each
 * deployment still ends exactly as it ends without faults: success, rollback, failed migration.
 * The operations are the ones the local cloud's gateway actually served during a fault-free run.
 */
class FaultSweepIT {

    /** Three requests in ten, to every operation, get the fault. */
    private static final double RATE = 0.3;
    private static final Duration LATENCY = Duration.ofMillis(100);
    /**
     * Rounds of the three paths are repeated until each operation was hit, at most this many. Some
     * operations come once per round (the cleanup's ListTaskDefinitions after the success, the failed
     * migration's GetLogEvents): at three in ten, one is missed by 8 rounds 6 % of the time and by 20
     * rounds 0.08 % (0.7^20); later rounds fault only what was missed, so they are quick.
     */
    private static final int MAX_ROUNDS = 20;
    private static final String CLUSTER = "acme-dev";
    private static final String SERVICE = "storefront-dev";

    /** The three paths of a deployment, each chosen by the behaviour of the pushed image. */
    private enum Path {
        SUCCESS(ImageBehaviour.healthy()),
        ROLLBACK(ImageBehaviour.unhealthy()),
        MIGRATION_FAILURE(ImageBehaviour.migrationExit(3));

        final ImageBehaviour behaviour;

        Path(ImageBehaviour behaviour) {
            this.behaviour = behaviour;
        }
    }

    /**
     * What a deployment ended as: the execution, the history, and the ECS service (which of this
     * round's images the PRIMARY deployment serves, its rollout state and how many deployments it has).
     */
    private record Ending(ExecutionStatus status, String error, Outcome historyOutcome, String serving,
                          String rolloutState, int deployments) {
    }

    /** Operation ("service.operation") → [requests, faulted]. */
    private static final class Tally {
        final Map<String, long[]> byOperation = new TreeMap<>();

        void add(List<FaultInjector.OperationCount> counts) {
            for (FaultInjector.OperationCount count : counts) {
                long[] sums = byOperation.computeIfAbsent(count.service() + "." + count.operation(), key -> new long[2]);
                sums[0] += count.requests();
                sums[1] += count.faulted();
            }
        }

        Set<String> unhit(Set<String> operations) {
            Set<String> unhit = new TreeSet<>();
            for (String operation : operations) {
                long[] sums = byOperation.get(operation);
                if (sums == null || sums[1] == 0) {
                    unhit.add(operation);
                }
            }
            return unhit;
        }
    }

    private static final Map<Path, Ending> EXPECTED = new EnumMap<>(Path.class);
    private static Set<String> operations;

    /** The fault-free run: how each path ends, and which operations Deckhand calls on the way. */
    @BeforeAll
    static void runEachPathWithoutFaults() throws Exception {
        Tally faultFree = new Tally();
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration())
                .ecsConsistencyDelay(ResilienceRuns.ECS_CONSISTENCY_DELAY).start()) {
            deckhand.cloud().faults().resetCounts(); // the set-up's requests are not the deployer's
            Map<String, String> pushed = new HashMap<>();
            for (Path path : Path.values()) {
                EXPECTED.put(path, deploy(deckhand, "clean", path, List.of(), faultFree, pushed));
            }
        }
        operations = Set.copyOf(faultFree.byOperation.keySet());
    }

    @Test
    void withoutFaultsEachPathEndsAsDesignedAndCallsEcsDynamoDbSnsAndEventBridge() {
        assertThat(EXPECTED.get(Path.SUCCESS)).isEqualTo(
                new Ending(ExecutionStatus.SUCCEEDED, null, Outcome.SUCCEEDED, "SUCCESS", "COMPLETED", 1));
        assertThat(EXPECTED.get(Path.ROLLBACK)).isEqualTo(
                new Ending(ExecutionStatus.FAILED, "Deckhand.RolledBack", Outcome.ROLLED_BACK, "SUCCESS", "COMPLETED", 1));
        assertThat(EXPECTED.get(Path.MIGRATION_FAILURE)).isEqualTo(
                new Ending(ExecutionStatus.FAILED, "Deckhand.DeploymentFailed", Outcome.FAILED, "SUCCESS", "COMPLETED", 1));
        assertThat(operations).as("operations Deckhand called").contains(
                "AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition",
                "AmazonEC2ContainerServiceV20141113.RunTask",
                "AmazonEC2ContainerServiceV20141113.UpdateService",
                "DynamoDB_20120810.UpdateItem", "sns.Publish", "AWSEvents.PutEvents");
    }

    @ParameterizedTest
    // The faults any AWS service can answer; the per-entry and DynamoDB transaction kinds have tests of their own.
    @EnumSource(value = FaultKind.class, names = {"THROTTLE", "SERVER_ERROR", "LATENCY", "DROP"})
    void everyDeploymentEndsAsWithoutFaultsWhenEveryOperationGetsTheFault(FaultKind kind) throws Exception {
        Duration latency = kind == FaultKind.LATENCY ? LATENCY : Duration.ZERO;
        Tally faulted = new Tally();
        int rounds = 0;
        int deployments = 0;
        int matched = 0;
        long started = System.nanoTime();
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration())
                .ecsConsistencyDelay(ResilienceRuns.ECS_CONSISTENCY_DELAY).start()) {
            deckhand.cloud().faults().resetCounts();
            while (rounds < MAX_ROUNDS && (rounds == 0 || !faulted.unhit(operations).isEmpty())) {
                rounds++;
                // The first round faults every operation; later ones only those not hit yet (rarely called
                // ones such as RegisterTaskDefinition), so that they do not slow every other call again.
                List<FaultRule> rules = rounds == 1
                        ? List.of(new FaultRule(FaultRule.ANY, FaultRule.ANY, kind, RATE, latency))
                        : faulted.unhit(operations).stream().map(operation -> new FaultRule(
                                operation.substring(0, operation.indexOf('.')),
                                operation.substring(operation.indexOf('.') + 1), kind, RATE, latency)).toList();
                Map<String, String> pushed = new HashMap<>();
                for (Path path : Path.values()) {
                    Ending ending = deploy(deckhand, kind.name().toLowerCase().replace('_', '-') + "-" + rounds,
                            path, rules, faulted, pushed);
                    deployments++;
                    assertThat(ending).as("%s under %s faults, round %d", path, kind, rounds)
                            .isEqualTo(EXPECTED.get(path));
                    matched++;
                }
            }
        }
        assertThat(faulted.unhit(operations)).as("operations that never got a %s fault in %d rounds", kind, rounds)
                .isEmpty();
        long faults = faulted.byOperation.values().stream().mapToLong(sums -> sums[1]).sum();
        long requests = faulted.byOperation.values().stream().mapToLong(sums -> sums[0]).sum();
        System.out.printf("fault sweep %s at %.0f %%: %d deployments, %d outcomes matched; each of %d operations "
                        + "faulted (%d faults in %d requests), %.1f s%n", kind, RATE * 100, deployments, matched,
                operations.size(), faults, requests, (System.nanoTime() - started) / 1e9);
    }

    /**
     * Pushes one image for {@code path} with the rules in force, waits for its execution, and (with
     * faults cleared, so the test's own reads are neither faulted nor counted) reads how it ended.
     *
     * @param pushed the images pushed so far in this round (URI → path), to name the one served
     */
    private static Ending deploy(LocalDeckhand deckhand, String label, Path path, List<FaultRule> rules,
                                 Tally tally, Map<String, String> pushed) throws InterruptedException {
        ResilienceRuns runs = new ResilienceRuns(deckhand);
        rules.forEach(deckhand.cloud().faults()::add);
        String tag = "feature-" + label + "-" + path.name().toLowerCase().replace('_', '-');
        EcrImage image = deckhand.push("acme/storefront", List.of(tag), path.behaviour);
        pushed.put(image.uri(), path.name());
        ExecutionDescription execution = runs.finishedExecutionOf(image);
        if (execution.status() != ExecutionStatus.SUCCEEDED) {
            // A failed execution's lock cleanup (the dead-execution rule) runs after it ended: let it run
            // under the same faults before they are cleared, so its calls are faulted as every other one.
            dev.deckhand.local.Eventually.until(Duration.ofSeconds(60), () -> "the lock cleanup of "
                    + execution.executionArn(), () -> deckhand.cloud().events().deliveries().stream()
                            .anyMatch(delivery -> delivery.ruleName().equals(LocalDeckhand.DEAD_EXECUTION_RULE)
                                    && delivery.event().path("detail").path("executionArn").asText()
                                            .equals(execution.executionArn())));
        }
        deckhand.cloud().faults().clear();
        tally.add(deckhand.cloud().faults().counts());

        Deployment primary = runs.primary(CLUSTER, SERVICE);
        String servingImage = runs.servingImage(CLUSTER, SERVICE, "web");
        String serving = pushed.getOrDefault(servingImage, servingImage);
        Ending ending = new Ending(execution.status(), execution.error(),
                runs.historyOutcome("storefront", "dev", execution.executionArn()), serving,
                primary.rolloutStateAsString(), runs.service(CLUSTER, SERVICE).deployments().size());
        deckhand.cloud().faults().resetCounts();
        return ending;
    }
}
