package dev.deckhand.local.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs Deckhand's benchmarks, each in a JVM of its own (so every "first run" is really cold and one
 * benchmark's heap and JIT state never colour the next), and prints one table per benchmark. Not a
 * test. The {@code bench} profile of {@code local/pom.xml} runs it after the build:
 *
 * <pre>
 * ./mvnw -B -q -Pbench -pl local -am verify                  # all of them
 * ./mvnw -B -q -Pbench -pl local -am verify -Dbench=engine   # one, or several: -Dbench=engine,cost
 * </pre>
 *
 * The profile passes the test classpath and {@code -Ddeckhand.root} (the repository root).
 */
public final class BenchmarkSuite {

    static final String COMMAND = "./mvnw -B -q -Pbench -pl local -am verify";

    /** A benchmark: its name for {@code -Dbench}, its title, its main class, what it adds to the classpath. */
    private record Benchmark(String name, String title, String mainClass, List<String> extraClasspath) {
    }

    private static final Map<String, Benchmark> BENCHMARKS = new LinkedHashMap<>();

    static {
        add(new Benchmark("orchestration", "Orchestration overhead of one deployment (zero simulated ECS delays)",
                OrchestrationBenchmark.class.getName(), List.of("local/src/test/bench-resources")));
        add(new Benchmark("iam", "Local IAM enforcement on vs off (zero simulated ECS delays)",
                IamOverheadBenchmark.class.getName(), List.of()));
        add(new Benchmark("cost", "Cost of one deployment", DeploymentCostBenchmark.class.getName(), List.of()));
        add(new Benchmark("latency", "Detection latency: ECS event to the next state, on the wall clock",
                DetectionLatencyBenchmark.class.getName(), List.of()));
        add(new Benchmark("coldstart", "Handler cold start (a fresh JVM per run, the shaded Lambda jar)",
                HandlerColdStartBenchmark.class.getName(), List.of()));
        add(new Benchmark("engine", "Step Functions engine throughput",
                "dev.deckhand.statemachine.bench.EngineBenchmark", List.of("statemachine/target/test-classes")));
        add(new Benchmark("startup", "Local cloud start-up and memory", LocalCloudStartupBenchmark.class.getName(),
                List.of()));
        add(new Benchmark("workloads", "Simulated ECS", "dev.deckhand.local.ecs.WorkloadsBenchmark", List.of()));
        add(new Benchmark("demo", "The local demo", DemoBenchmark.class.getName(), List.of()));
    }

    private static void add(Benchmark benchmark) {
        BENCHMARKS.put(benchmark.name(), benchmark);
    }

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        Path root = root();
        List<Benchmark> selected = selected(args.length == 0 ? "all" : args[0]);
        System.out.println("# Deckhand benchmarks");
        System.out.println();
        System.out.println("- Machine: " + Machine.describe());
        System.out.println("- Date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        System.out.println("- Command: `" + COMMAND + (args.length == 0 || args[0].equals("all") ? "" : " -Dbench=" + args[0])
                + "`");
        List<String> failed = new ArrayList<>();
        for (Benchmark benchmark : selected) {
            System.out.println();
            System.out.println("## " + benchmark.title() + " (`-Dbench=" + benchmark.name() + "`)");
            System.out.println();
            long started = System.nanoTime();
            int exit = run(root, benchmark);
            System.out.printf(Locale.ROOT, "%n(%s: %.1f s)%n", benchmark.name(), (System.nanoTime() - started) / 1e9);
            if (exit != 0) {
                failed.add(benchmark.name() + " (exit code " + exit + ")");
            }
        }
        if (!failed.isEmpty()) {
            System.err.println("benchmarks that did not finish: " + String.join(", ", failed));
            System.exit(1);
        }
    }

    private static List<Benchmark> selected(String names) {
        if (names.isBlank() || names.equals("all")) {
            return List.copyOf(BENCHMARKS.values());
        }
        List<Benchmark> selected = new ArrayList<>();
        for (String name : names.split(",")) {
            Benchmark benchmark = BENCHMARKS.get(name.trim());
            if (benchmark == null) {
                System.err.println("no benchmark named '" + name.trim() + "'; known: all, "
                        + String.join(", ", BENCHMARKS.keySet()));
                System.exit(2);
            }
            selected.add(benchmark);
        }
        return selected;
    }

    private static int run(Path root, Benchmark benchmark) throws IOException, InterruptedException {
        List<String> classpath = new ArrayList<>();
        for (String extra : benchmark.extraClasspath()) {
            Path path = root.resolve(extra);
            if (!Files.exists(path)) {
                throw new IllegalStateException(path + " is missing: run the benchmarks with " + COMMAND);
            }
            classpath.add(path.toString());
        }
        classpath.add(System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-cp",
                classpath.stream().collect(Collectors.joining(File.pathSeparator)),
                "-Ddeckhand.root=" + root,
                // Loopback HTTP without Nagle's delay, as the tests and ./deckhand run (see ServiceLoadBalancer).
                "-Dsun.net.httpserver.nodelay=true",
                // Warnings to stderr, stdout for the figures. An absolute path, because DynamoDB Local's
                // own class loader reads the property too.
                "-Dlog4j2.configurationFile=" + root.resolve("local/src/test/bench-resources/bench-log4j2.xml"),
                benchmark.mainClass()));
        return new ProcessBuilder(command).directory(root.toFile()).inheritIO().start().waitFor();
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The repository root: {@code -Ddeckhand.root}, which the bench profile sets. */
    static Path root() {
        String root = System.getProperty("deckhand.root");
        if (root == null) {
            throw new IllegalStateException("-Ddeckhand.root is not set: run the benchmarks with " + COMMAND);
        }
        return Path.of(root).toAbsolutePath().normalize();
    }
}
