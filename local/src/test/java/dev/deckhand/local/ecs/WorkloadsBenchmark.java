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
 * Not a test; run with the benchmark suite (it prints a Markdown table):
 * {@code ./mvnw -B -q -Pbench -pl local -am verify -Dbench=workloads}.
 */
public final class WorkloadsBenchmark {

    private static final int WARM_UP = 300;
    private static final int ROUNDS = 2000;

    private WorkloadsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("| Measurement | Result (" + ROUNDS + " calls after " + WARM_UP + " warm-up) |");
        System.out.println("| --- | --- |");
        try (Workloads workloads = new Workloads()) {
            String image = workloads.push("api", "v1", ImageBehaviour.healthy()).uri();
            URI health = workloads.ecs.seedService("dev", "api-dev", image).url().resolve("/health");

            print("DescribeServices through `EcsClient`", time(() -> workloads.describe("dev", "api-dev")));

            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(health).build();
            print("GET /health on a service's loopback load balancer",
                    time(() -> http.send(request, HttpResponse.BodyHandlers.discarding())));

            workloads.client.updateService(r -> r.cluster("dev").service("api-dev").deploymentConfiguration(
                    c -> c.deploymentCircuitBreaker(b -> b.enable(false).rollback(false))));
            String crashing = workloads.register("api-dev", workloads.push("api", "v2", ImageBehaviour.crashOnStart()).uri());
            workloads.client.updateService(r -> r.cluster("dev").service("api-dev").taskDefinition(crashing));
            workloads.advance(Duration.ofDays(1));
            long start = System.nanoTime();
            int failed = workloads.describe("dev", "api-dev").deployments().get(0).failedTasks();
            System.out.printf("| Catching up one simulated day of a crash-looping rollout (%,d failed tasks) | %.1f s |%n",
                    failed, (System.nanoTime() - start) / 1e9);
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
        System.out.printf("| %s | p50 %.2f ms, p99 %.2f ms, max %.2f ms |%n", what,
                sortedMicros[sortedMicros.length / 2] / 1000.0, sortedMicros[sortedMicros.length * 99 / 100] / 1000.0,
                sortedMicros[sortedMicros.length - 1] / 1000.0);
    }
}
