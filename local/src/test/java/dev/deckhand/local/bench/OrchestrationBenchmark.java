package dev.deckhand.local.bench;

import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.ecs.WorkloadTiming;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.testing.Fixtures;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * What Deckhand itself costs in wall time for one successful deployment, with every simulated ECS
 * delay at zero (tasks start, roll out and exit at once) and the simulated clock running Wait
 * states instantly: the real definition, the real handlers, the local cloud, DynamoDB Local.
 * The wall time, from the push to the execution's end, is split into
 * <ul>
 *   <li>AWS calls: time inside AWS SDK calls to the local cloud ({@link SdkCallTimer}; the local
 *       cloud serves them in this JVM, so its work is counted here);</li>
 *   <li>handlers: time inside handler invocations minus their SDK calls (Java in Deckhand's code,
 *       JSON in and out);</li>
 *   <li>engine: the rest (EventBridge delivery of the push event, state transitions, JSONata).</li>
 * </ul>
 * Not a test: it prints figures. Run through {@link BenchmarkSuite} ({@code -Dbench=orchestration}),
 * which registers {@link SdkCallTimer}.
 */
public final class OrchestrationBenchmark {

    private static final int WARM_UP = 5;
    private static final int RUNS = 20;
    private static final WorkloadTiming INSTANT = new WorkloadTiming(Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30));

    private static final LongAdder HANDLER_NANOS = new LongAdder();
    private static final LongAdder INVOCATIONS = new LongAdder();

    /** One deployment's wall time and its split, in milliseconds. */
    private record Run(double wall, double handlers, double aws, long sdkCalls, long invocations, long statesEntered) {
        double engine() {
            return wall - handlers;
        }

        double handlerJava() {
            return handlers - aws;
        }
    }

    private OrchestrationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStarted = ManagementFactory.getRuntimeMXBean().getStartTime();
        long mainEntered = System.currentTimeMillis();
        long starting = System.nanoTime();
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration())
                .workloadTiming(INSTANT)
                .invocationListener((function, nanos) -> {
                    HANDLER_NANOS.add(nanos);
                    INVOCATIONS.increment();
                })
                .start()) {
            double startMillis = Figures.millis(System.nanoTime() - starting);
            if (!SdkCallTimer.registered()) {
                throw new IllegalStateException("SdkCallTimer is not registered with the AWS SDK: run this benchmark "
                        + "through " + BenchmarkSuite.COMMAND + " -Dbench=orchestration");
            }
            Run cold = deploy(deckhand, "feature-cold");
            long coldDone = System.currentTimeMillis();
            for (int i = 0; i < WARM_UP; i++) {
                deploy(deckhand, "feature-warm-up-" + i);
            }
            List<Run> warm = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                warm.add(deploy(deckhand, "feature-run-" + i));
            }

            System.out.println("A successful deployment of `storefront` to `dev` (migration, rollout, two health probes): "
                    + cold.statesEntered() + " states entered, " + cold.invocations() + " handler invocations, "
                    + cold.sdkCalls() + " AWS SDK calls.");
            System.out.println();
            Figures.table(List.of("Run", "Wall (push → execution end)", "Engine", "Handlers (Java)", "AWS calls (SDK)"),
                    List.of(row("first (cold JVM)", cold),
                            row("median of " + RUNS + " after " + WARM_UP + " warm-up", median(warm))));
            System.out.println();
            double jvmToMain = mainEntered - jvmStarted;
            double jvmToFirstDeployment = coldDone - jvmStarted;
            Figures.table(List.of("End to end, first deployment in a fresh JVM", "Time"), List.of(
                    List.of("JVM start → main()", Figures.ms(jvmToMain)),
                    List.of("start of the local Deckhand (local cloud, DynamoDB Local, tables, seeded services)",
                            Figures.ms(startMillis)),
                    List.of("first deployment (cold)", Figures.ms(cold.wall())),
                    List.of("**JVM start → first deployment done** (target ≤ 2 s)", "**" + Figures.ms(jvmToFirstDeployment) + "**"),
                    List.of("JVM start → first deployment done, local Deckhand start excluded",
                            Figures.ms(jvmToFirstDeployment - startMillis)),
                    List.of("**warm deployment, median** (target ≤ 300 ms excluding JVM start)",
                            "**" + Figures.ms(median(warm).wall()) + "**"),
                    List.of("warm deployment, min – max", Figures.ms(warm.stream().mapToDouble(Run::wall).min().orElseThrow())
                            + " – " + Figures.ms(warm.stream().mapToDouble(Run::wall).max().orElseThrow()))));
        }
    }

    private static List<String> row(String label, Run run) {
        return List.of(label, Figures.ms(run.wall()), Figures.ms(run.engine()), Figures.ms(run.handlerJava()),
                Figures.ms(run.aws()) + " (" + run.sdkCalls() + " calls)");
    }

    /** Each column's own median (so the columns of this row need not add up exactly). */
    private static Run median(List<Run> runs) {
        double wall = Figures.median(column(runs, Run::wall));
        double handlers = Figures.median(column(runs, Run::handlers));
        double aws = Figures.median(column(runs, Run::aws));
        return new Run(wall, handlers, aws, runs.get(0).sdkCalls(), runs.get(0).invocations(), runs.get(0).statesEntered());
    }

    private static List<Double> column(List<Run> runs, ToDoubleFunction<Run> value) {
        return runs.stream().mapToDouble(value).boxed().collect(Collectors.toList());
    }

    private static Run deploy(LocalDeckhand deckhand, String tag) throws InterruptedException {
        HANDLER_NANOS.reset();
        INVOCATIONS.reset();
        SdkCallTimer.reset();
        long started = System.nanoTime();
        EcrImage image = deckhand.push("acme/storefront", List.of(tag), ImageBehaviour.healthy());
        ExecutionDescription end = deckhand.awaitCompletion(executionOf(deckhand, image), Duration.ofSeconds(60));
        long wall = System.nanoTime() - started;
        if (end.status() != ExecutionStatus.SUCCEEDED || !end.output().contains("\"SUCCEEDED\"")) {
            throw new IllegalStateException("the deployment of " + tag + " did not succeed: " + end.status() + " "
                    + end.error() + ": " + end.cause());
        }
        List<HistoryEvent> history = deckhand.engine().getExecutionHistory(end.executionArn());
        long statesEntered = history.stream().filter(event -> event.type().endsWith("StateEntered")).count();
        return new Run(Figures.millis(wall), Figures.millis(HANDLER_NANOS.sum()), Figures.millis(SdkCallTimer.nanos()),
                SdkCallTimer.calls(), INVOCATIONS.sum(), statesEntered);
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
