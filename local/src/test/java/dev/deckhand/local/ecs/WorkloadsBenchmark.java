package dev.deckhand.local.ecs;

import dev.deckhand.local.ecr.ImageBehaviour;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * Prints what the simulated workloads cost: SDK round trips to the simulated ECS, real HTTP health
 * checks against a service's loopback port, and catching up on a long stretch of simulated time.
 * Not a test; run with:
 * <pre>
 * ./mvnw -q -pl local -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/workloads-cp.txt -Dmdep.includeScope=test
 * java -cp local/target/test-classes:local/target/classes:$(cat /tmp/workloads-cp.txt) \
 *     dev.deckhand.local.ecs.WorkloadsBenchmark
 * </pre>
 */
public final class WorkloadsBenchmark {

    private static final int WARM_UP = 300;
    private static final int ROUNDS = 2000;

    private WorkloadsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (Workloads workloads = new Workloads()) {
            String image = workloads.push("api", "v1", ImageBehaviour.healthy()).uri();
            URI health = workloads.ecs.seedService("dev", "api-dev", image).url().resolve("/health");

            print("DescribeServices via EcsClient", time(() -> workloads.describe("dev", "api-dev")));

            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(health).build();
            print("GET /health on the service's loopback port",
                    time(() -> http.send(request, HttpResponse.BodyHandlers.discarding())));

            workloads.client.updateService(r -> r.cluster("dev").service("api-dev").deploymentConfiguration(
                    c -> c.deploymentCircuitBreaker(b -> b.enable(false).rollback(false))));
            String crashing = workloads.register("api-dev", workloads.push("api", "v2", ImageBehaviour.crashOnStart()).uri());
            workloads.client.updateService(r -> r.cluster("dev").service("api-dev").taskDefinition(crashing));
            workloads.advance(Duration.ofDays(1));
            long start = System.nanoTime();
            int failed = workloads.describe("dev", "api-dev").deployments().get(0).failedTasks();
            System.out.printf("catching up 1 simulated day of a crash-looping rollout (%d failed tasks): %.1f ms%n",
                    failed, (System.nanoTime() - start) / 1e6);
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static long[] time(Call call) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            call.run();
        }
        long[] micros = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            call.run();
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        Arrays.sort(micros);
        return micros;
    }

    private static void print(String what, long[] sortedMicros) {
        System.out.printf("%s: p50 %d µs, p99 %d µs, max %d µs (%d calls after %d warm-up)%n", what,
                sortedMicros[sortedMicros.length / 2], sortedMicros[sortedMicros.length * 99 / 100],
                sortedMicros[sortedMicros.length - 1], ROUNDS, WARM_UP);
    }
}
