package dev.deckhand.local.bench;

import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.ecs.WorkloadTiming;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the local IAM costs a warm deployment: two local Deckhands in one JVM, one enforcing each
 * function's policy and one started with enforcement off ({@code --no-iam}), deploying in turn
 * (so drift of the machine's load hits both alike), with every simulated ECS delay at zero as in
 * {@link OrchestrationBenchmark}. Not a test: it prints figures ({@code -Dbench=iam}).
 */
public final class IamOverheadBenchmark {

    private static final int WARM_UP = 5;
    private static final int RUNS = 20;
    private static final WorkloadTiming INSTANT = new WorkloadTiming(Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30));

    private IamOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (LocalDeckhand enforced = LocalDeckhand.builder(Fixtures.sampleConfiguration()).workloadTiming(INSTANT).start();
                LocalDeckhand open = LocalDeckhand.builder(Fixtures.sampleConfiguration()).workloadTiming(INSTANT)
                        .iam(false).start()) {
            for (int i = 0; i < WARM_UP; i++) {
                deploy(enforced, "feature-warm-up-" + i);
                deploy(open, "feature-warm-up-" + i);
            }
            long authorizedBefore = enforced.iam().orElseThrow().authorized();
            List<Double> on = new ArrayList<>();
            List<Double> off = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                on.add(deploy(enforced, "feature-run-" + i));
                off.add(deploy(open, "feature-run-" + i));
            }
            long authorized = (enforced.iam().orElseThrow().authorized() - authorizedBefore) / RUNS;
            double medianOn = Figures.median(on);
            double medianOff = Figures.median(off);
            System.out.println("A successful deployment of `storefront` to `dev` (zero simulated ECS delays), "
                    + RUNS + " each after " + WARM_UP + " warm-up, alternating; " + authorized
                    + " calls authorized per deployment, " + enforced.iam().orElseThrow().denials().size() + " denied.");
            System.out.println();
            Figures.table(List.of("IAM", "Warm deployment, median", "min – max"), List.of(
                    List.of("enforced", Figures.ms(medianOn), range(on)),
                    List.of("off (`--no-iam`)", Figures.ms(medianOff), range(off)),
                    List.of("**overhead** (target ≤ 10 %)", "**" + Figures.ms(medianOn - medianOff) + String.format(
                            java.util.Locale.ROOT, " (%.1f %%)", 100 * (medianOn - medianOff) / medianOff) + "**", "")));
        }
    }

    private static String range(List<Double> values) {
        return Figures.ms(values.stream().mapToDouble(Double::doubleValue).min().orElseThrow()) + " – "
                + Figures.ms(values.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    }

    private static double deploy(LocalDeckhand deckhand, String tag) throws InterruptedException {
        long started = System.nanoTime();
        EcrImage image = deckhand.push("acme/storefront", List.of(tag), ImageBehaviour.healthy());
        ExecutionDescription end = deckhand.awaitCompletion(executionOf(deckhand, image), Duration.ofSeconds(60));
        long wall = System.nanoTime() - started;
        if (end.status() != ExecutionStatus.SUCCEEDED || !end.output().contains("\"SUCCEEDED\"")) {
            throw new IllegalStateException("the deployment of " + tag + " did not succeed: " + end.status() + " "
                    + end.error() + ": " + end.cause());
        }
        return Figures.millis(wall);
    }

    /** The execution the push started; EventBridge delivers asynchronously, as on AWS. */
    private static String executionOf(LocalDeckhand deckhand, EcrImage image) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            for (ExecutionDescription execution : deckhand.executions()) {
                if (execution.input().contains(image.digest())) {
                    return execution.executionArn();
                }
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("no execution started within 30 s for " + image.uri());
    }
}
