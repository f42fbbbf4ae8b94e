package dev.deckhand.local.bench;

import dev.deckhand.local.LocalCloud;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Start-up time and memory of the local cloud, DynamoDB Local included. Not a test: it prints
 * figures. Run through {@link BenchmarkSuite}: {@code ./mvnw -B -q -Pbench -pl local -am verify -Dbench=startup}.
 *
 * "Ready" means the first DynamoDB request through the shared endpoint has been answered.
 */
public final class LocalCloudStartupBenchmark {

    private static final int RUNS = 9;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long firstStarted = System.nanoTime();
        LocalCloud first = LocalCloud.builder().port(0).build().start();
        listTables(first);
        double firstMillis = millisSince(firstStarted);
        double sinceJvmStart = System.currentTimeMillis() - jvmStart;
        long heapAfterStart = heapUsedAfterGc();
        first.close();

        List<Double> warm = new ArrayList<>();
        List<Double> withoutDynamoDb = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            long started = System.nanoTime();
            try (LocalCloud cloud = LocalCloud.builder().port(0).build().start()) {
                listTables(cloud);
                warm.add(millisSince(started));
            }
            started = System.nanoTime();
            try (LocalCloud cloud = LocalCloud.builder().port(0).dynamoDb(false).build().start()) {
                withoutDynamoDb.add(millisSince(started));
            }
        }
        long heapAfterRuns = heapUsedAfterGc();

        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("first start in a fresh JVM, to the first DynamoDB answer",
                String.format(Locale.ROOT, "%.0f ms (%.0f ms since JVM start)", firstMillis, sinceJvmStart)));
        rows.add(List.of("later starts, median of " + RUNS + ", to the first DynamoDB answer",
                String.format(Locale.ROOT, "%.0f ms (min %.0f, max %.0f)", median(warm), Collections.min(warm),
                        Collections.max(warm))));
        rows.add(List.of("later starts without DynamoDB Local, median of " + RUNS,
                String.format(Locale.ROOT, "%.1f ms", median(withoutDynamoDb))));
        rows.add(List.of("heap used after the first start (after GC)", mib(heapAfterStart)));
        rows.add(List.of("heap used after " + (2 * RUNS + 1) + " starts and stops (after GC)", mib(heapAfterRuns)));
        residentSetSize().ifPresent(rss -> rows.add(List.of("process resident set size at the end", rss)));
        System.out.println("Max heap " + mib(Runtime.getRuntime().maxMemory()) + ".");
        System.out.println();
        Figures.table(List.of("Local cloud (DynamoDB Local included unless said)", "Result"), rows);
    }

    private static void listTables(LocalCloud cloud) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(cloud.endpoint())
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/dynamodb/aws4_request, "
                        + "SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("ListTables answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    private static long heapUsedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static java.util.Optional<String> residentSetSize() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return java.util.Optional.empty();
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> l.substring("VmRSS:".length()).trim()).findFirst();
    }

    private static double millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000.0;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private LocalCloudStartupBenchmark() {
    }
}
