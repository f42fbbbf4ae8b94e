package dev.deckhand.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.bench.HandlerColdStartDriver;
import dev.deckhand.catalogue.DeployerFunction;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.ecs.WorkloadTiming;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.testing.Fixtures;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cold start of each handler at process level: for every run a fresh JVM
 * ({@code java -cp <shaded Lambda jar>:functions/target/test-classes}, the {@link HandlerColdStartDriver})
 * loads the handler from the jar the CDK app uploads, wires it from the environment the CDK app sets
 * (SDK clients with {@code AWS_ENDPOINT_URL} pointing at a local Deckhand this process runs, the
 * configuration from its SSM Parameter Store), and answers a real event twice. The events are the
 * ones the deployer sent during a deployment and a rollback on the same local Deckhand (read from
 * the execution history), so every handler does its real work against real (local) services.
 *
 * <p>The second invocation in the same JVM shows what SnapStart priming would skip: class loading
 * and first use of the SDK clients and Jackson, which a priming hook runs before the snapshot.
 * Not a test: it prints figures. Run through {@link BenchmarkSuite} ({@code -Dbench=coldstart}).
 */
public final class HandlerColdStartBenchmark {

    // Five: on a shared 2-core machine the median of three moved by 15 % between back-to-back runs.
    private static final int RUNS = 5;
    private static final String CONFIG_PARAMETER = "/deckhand/config";
    private static final WorkloadTiming INSTANT = new WorkloadTiming(Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30));
    /**
     * The JVM options of Lambda's managed Java 17 runtime
     * (https://docs.aws.amazon.com/lambda/latest/dg/java-customization.html): "For Java 17 and Java 21,
     * Lambda configures the JVM to stop tiered compilation at level 1 by default" ("Customizing tiered
     * compilation settings"); and, as the same page's GC example says, the Java 17 runtime uses the
     * Serial garbage collector by default, as Java 11's does. Without that option a JVM on a machine
     * with 2 cores and 2 GiB or more picks G1, which costs more to start.
     */
    private static final List<String> LAMBDA_JVM_OPTIONS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC");

    /** The deployer's function names (as the local Deckhand names them) → their handlers: the catalogue's steps. */
    private static final Map<String, String> STEP_HANDLERS = new LinkedHashMap<>();

    static {
        for (DeployerFunction step : DeployerFunction.steps()) {
            STEP_HANDLERS.put("deckhand-" + step.shortName(), step.handlerClass().getName());
        }
    }

    private record ColdStart(double jvmToResponse, double processToResponse, double cpu, long classes, double init,
                            double first, double second, String response) {
    }

    private HandlerColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = BenchmarkSuite.root();
        Path lambdaJar = lambdaJar(root);
        Path driverClasses = root.resolve("functions/target/test-classes");
        if (!Files.exists(driverClasses.resolve("dev/deckhand/bench/HandlerColdStartDriver.class"))) {
            throw new IllegalStateException("the driver is not compiled in " + driverClasses + ": run "
                    + BenchmarkSuite.COMMAND + " -Dbench=coldstart");
        }
        Path events = Files.createTempDirectory("deckhand-cold-start");
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration())
                .workloadTiming(INSTANT).start()) {
            deckhand.cloud().parameters().put(CONFIG_PARAMETER, "String",
                    Files.readString(root.resolve("deckhand.yml")));
            Map<String, Path> eventFiles = writeEvents(deckhand, events);
            Map<String, String> environment = lambdaEnvironment(deckhand);

            List<List<String>> rows = new ArrayList<>();
            for (Map.Entry<String, Path> handler : eventFiles.entrySet()) {
                List<ColdStart> runs = new ArrayList<>();
                for (int run = 0; run < RUNS; run++) {
                    runs.add(coldStart(handler.getKey(), handler.getValue(), lambdaJar, driverClasses, environment));
                }
                String name = handler.getKey().substring(handler.getKey().lastIndexOf('.') + 1);
                double first = Figures.median(runs.stream().map(ColdStart::first).toList());
                double second = Figures.median(runs.stream().map(ColdStart::second).toList());
                rows.add(List.of(name,
                        Figures.ms(Figures.median(runs.stream().map(ColdStart::processToResponse).toList())),
                        Figures.ms(Figures.median(runs.stream().map(ColdStart::jvmToResponse).toList())),
                        Figures.ms(Figures.median(runs.stream().map(ColdStart::cpu).toList())),
                        String.valueOf(Math.round(Figures.median(
                                runs.stream().map(run -> (double) run.classes()).toList()))),
                        Figures.ms(Figures.median(runs.stream().map(ColdStart::init).toList())),
                        Figures.ms(first), Figures.ms(second), Figures.ms(first - second),
                        "`" + runs.get(0).response().replace("|", "\\|") + "`"));
            }
            System.out.printf(Locale.ROOT, "Shaded Lambda jar `%s`: %.1f MiB. Median of %d fresh JVMs per handler "
                    + "(`%s`, the Lambda Java 17 runtime's defaults), against a local Deckhand in the parent process.%n%n",
                    root.relativize(lambdaJar), Files.size(lambdaJar) / (1024.0 * 1024.0), RUNS,
                    String.join(" ", LAMBDA_JVM_OPTIONS));
            Figures.table(List.of("Handler", "Process start → first response", "JVM start → first response",
                    "CPU by first response", "Classes loaded", "Init (class load + constructor)", "1st invocation",
                    "2nd invocation", "Priming would skip (1st − 2nd)", "First response"), rows);
            System.out.println();
            System.out.println("Process start is when this benchmark starts `java`; JVM start is the JVM's own start "
                    + "time (RuntimeMXBean). CPU is the JVM's process CPU time (all its threads: JIT, GC) until the "
                    + "first response, which a busy machine inflates less than the wall clock. On Lambda, SnapStart "
                    + "restores a snapshot taken after Init, so a primed function's first invocation costs about the "
                    + "2nd invocation's time (plus the restore).");
        } finally {
            deleteTree(events);
        }
    }

    private static ColdStart coldStart(String handler, Path event, Path lambdaJar, Path driverClasses,
                                      Map<String, String> environment) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(BenchmarkSuite.javaExecutable());
        command.addAll(LAMBDA_JVM_OPTIONS);
        String profiling = System.getenv("DECKHAND_COLDSTART_JVM_OPTIONS");
        if (profiling != null && !profiling.isBlank()) {
            String name = handler.substring(handler.lastIndexOf('.') + 1);
            for (String option : profiling.trim().split("\\s+")) {
                command.add(option.replace("{handler}", name));
            }
        }
        command.addAll(List.of("-cp", lambdaJar + File.pathSeparator + driverClasses,
                HandlerColdStartDriver.class.getName(), handler, event.toString()));
        Path log = event.resolveSibling(event.getFileName() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        // Set by the Lambda runtime; the metrics library (EMF) reads it to write metrics to stdout, as
        // on Lambda, instead of retrying a CloudWatch agent that is not there.
        builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", handler.substring(handler.lastIndexOf('.') + 1));
        long processStarted = System.currentTimeMillis();
        Process process = builder.start();
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        Files.delete(log);
        if (!ended) {
            throw new IllegalStateException("the cold start of " + handler + " did not end within 60 s; its output:\n"
                    + output);
        }
        int exit = process.exitValue();
        String line = output.lines().filter(l -> l.startsWith(HandlerColdStartDriver.PREFIX)).findFirst().orElse(null);
        if (exit != 0 || line == null) {
            throw new IllegalStateException("the cold start of " + handler + " exited with " + exit + "; its output:\n"
                    + output);
        }
        JsonNode figures = DeckhandJson.MAPPER.readTree(line.substring(HandlerColdStartDriver.PREFIX.length()));
        long answered = figures.path("firstResponseAt").asLong();
        return new ColdStart(answered - figures.path("jvmStartedAt").asLong(), answered - processStarted,
                Figures.millis(figures.path("cpuNanosToFirstResponse").asLong()),
                figures.path("classesToFirstResponse").asLong(),
                Figures.millis(figures.path("initNanos").asLong()),
                Figures.millis(figures.path("firstInvocationNanos").asLong()),
                Figures.millis(figures.path("secondInvocationNanos").asLong()),
                figures.path("response").asText());
    }

    /** What the CDK app sets on every function, pointed at the local Deckhand. */
    private static Map<String, String> lambdaEnvironment(LocalDeckhand deckhand) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        environment.put("AWS_REGION", deckhand.cloud().region());
        environment.put("AWS_ENDPOINT_URL", deckhand.cloud().endpoint().toString());
        environment.put("AWS_ACCESS_KEY_ID", LocalDeckhand.ACCESS_KEY_ID);
        environment.put("AWS_SECRET_ACCESS_KEY", LocalDeckhand.SECRET_ACCESS_KEY);
        environment.put("DECKHAND_CONFIG_PARAMETER", CONFIG_PARAMETER);
        environment.put("DECKHAND_HISTORY_TABLE", LocalDeckhand.HISTORY_TABLE);
        environment.put("DECKHAND_LOCKS_TABLE", LocalDeckhand.LOCKS_TABLE);
        environment.put("DECKHAND_WAITS_TABLE", LocalDeckhand.WAITS_TABLE);
        environment.put("DECKHAND_FREEZES_TABLE", LocalDeckhand.FREEZES_TABLE);
        environment.put("DECKHAND_TOPIC_ARN", deckhand.topicArn());
        environment.put("DECKHAND_STATE_MACHINE_ARN", deckhand.stateMachineArn());
        environment.put("POWERTOOLS_SERVICE_NAME", "deckhand");
        return environment;
    }

    /**
     * One event per handler: the first the deployer sent each step function during a deployment
     * and a rollback, an API Gateway event for the status API, and a dead-execution event for the
     * lock cleanup. Keyed by handler class, in table order.
     */
    private static Map<String, Path> writeEvents(LocalDeckhand deckhand, Path directory) throws Exception {
        ExecutionDescription success = run(deckhand, deckhand.push("acme/storefront", List.of("feature-cold-start"),
                ImageBehaviour.healthy()));
        ExecutionDescription rollback = run(deckhand, deckhand.push("acme/storefront", List.of("feature-broken"),
                ImageBehaviour.unhealthy()));
        Map<String, JsonNode> byFunction = new LinkedHashMap<>();
        for (ExecutionDescription execution : List.of(success, rollback)) {
            for (HistoryEvent event : deckhand.engine().getExecutionHistory(execution.executionArn())) {
                if (event.type().equals("TaskScheduled")) {
                    JsonNode parameters = DeckhandJson.MAPPER.readTree(event.details().path("parameters").asText());
                    String arn = parameters.path("FunctionName").asText();
                    byFunction.putIfAbsent(arn.substring(arn.lastIndexOf(':') + 1), parameters.path("Payload"));
                }
            }
        }
        Map<String, Path> files = new LinkedHashMap<>();
        for (Map.Entry<String, String> step : STEP_HANDLERS.entrySet()) {
            JsonNode event = byFunction.get(step.getKey());
            if (event == null) {
                throw new IllegalStateException("the deployer never invoked " + step.getKey());
            }
            if (step.getKey().equals("deckhand-health-check")) {
                event = probingTheService(deckhand, event);
            }
            files.put(step.getValue(), write(directory, step.getKey(), event));
        }
        String deploymentId = DeckhandJson.MAPPER.readTree(success.output()).path("deploymentId").asText();
        ObjectNode status = (ObjectNode) DeckhandJson.MAPPER.readTree(Fixtures.read("events/api/get-deployment.json"));
        status.put("path", "/deployments/" + deploymentId);
        ((ObjectNode) status.path("pathParameters")).put("id", deploymentId);
        ((ObjectNode) status.path("requestContext")).put("accountId", deckhand.cloud().account());
        ((ObjectNode) status.path("requestContext").path("identity")).put("accountId", deckhand.cloud().account());
        files.put("dev.deckhand.promote.DeploymentApiHandler", write(directory, "deckhand-api", status));
        ObjectNode dead = DeckhandJson.MAPPER.createObjectNode();
        dead.put("source", "aws.states");
        dead.put("detail-type", "Step Functions Execution Status Change");
        dead.putObject("detail").put("executionArn", rollback.executionArn()).put("status", "FAILED");
        files.put("dev.deckhand.coordinate.LockCleanupHandler", write(directory, "deckhand-lock-cleanup", dead));
        return files;
    }

    /**
     * The health check probes the URL in the event; the configured host only resolves inside AWS, so
     * the replayed event names the service's loopback load balancer instead, and asks for one probe
     * (the handler pauses 1 s between consecutive probes, which is not start-up time).
     */
    private static JsonNode probingTheService(LocalDeckhand deckhand, JsonNode event) {
        ObjectNode copy = event.deepCopy();
        ObjectNode health = (ObjectNode) copy.path("target").path("healthCheck");
        String path = java.net.URI.create(health.path("url").asText()).getPath();
        health.put("url", deckhand.ecs().serviceUrl("acme-dev", "storefront-dev").resolve(path).toString());
        health.put("consecutiveSuccesses", 1);
        return copy;
    }

    private static ExecutionDescription run(LocalDeckhand deckhand, EcrImage image) throws InterruptedException {
        return deckhand.awaitCompletion(deckhand.executionStartedBy(image, Duration.ofSeconds(60)), Duration.ofSeconds(60));
    }

    private static Path write(Path directory, String name, JsonNode event) throws IOException {
        Path file = directory.resolve(name + ".json");
        Files.write(file, DeckhandJson.MAPPER.writeValueAsBytes(event));
        return file;
    }

    private static Path lambdaJar(Path root) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(root.resolve("functions/target"), "*-lambda.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        }
        throw new IllegalStateException("no shaded Lambda jar in functions/target: run " + BenchmarkSuite.COMMAND
                + " -Dbench=coldstart");
    }

    private static void deleteTree(Path directory) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }
}
