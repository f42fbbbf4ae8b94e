package dev.deckhand.local.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each service's load balancer answers real HTTP on loopback with the serving revision's health. */
class ServiceHealthIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Workloads workloads;

    @BeforeEach
    void start() throws Exception {
        workloads = new Workloads();
    }

    @AfterEach
    void stop() {
        workloads.close();
    }

    @Test
    void healthyServiceAnswers200NamingTheDigestItRuns() throws Exception {
        EcrImage image = workloads.push("api", "v1", ImageBehaviour.healthy());
        RunningService service = workloads.ecs.seedService("dev", "api-dev", Workloads.REGISTRY + "/api:v1");

        HttpResponse<String> response = get(service.url().resolve("/health"));

        assertThat(service.url().getHost()).isEqualTo("127.0.0.1");
        assertThat(workloads.ecs.serviceUrl("dev", "api-dev")).isEqualTo(service.url());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("healthy");
        assertThat(body.path("imageDigest").asText()).isEqualTo(image.digest());
        assertThat(body.path("taskDefinition").asText()).isEqualTo(service.taskDefinitionArn());
    }

    @Test
    void unhealthyServiceAnswers503() throws Exception {
        workloads.push("api", "bad", ImageBehaviour.unhealthy());
        RunningService service = workloads.ecs.seedService("dev", "api-dev", Workloads.REGISTRY + "/api:bad");

        HttpResponse<String> response = get(service.url().resolve("/health"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(response.body()).path("status").asText()).isEqualTo("unhealthy");
    }

    /** A rolling service sends all production traffic to what it runs, so the regression shows at once. */
    @Test
    void productionRegressionAnswers503OnceItServesProductionTraffic() throws Exception {
        workloads.push("api", "regressed", ImageBehaviour.productionRegression());
        RunningService service = workloads.ecs.seedService("dev", "api-dev", Workloads.REGISTRY + "/api:regressed");

        HttpResponse<String> response = get(service.url().resolve("/health"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(response.body()).path("status").asText())
                .isEqualTo("regressed under production traffic");
    }

    @Test
    void slowStartingServiceAnswers503UntilItsWarmUpHasPassedInSimulatedTime() throws Exception {
        workloads.push("api", "slow", ImageBehaviour.slowStart(Duration.ofSeconds(30)));
        RunningService service = workloads.ecs.seedService("dev", "api-dev", Workloads.REGISTRY + "/api:slow");

        assertThat(get(service.url().resolve("/health")).statusCode()).isEqualTo(503);
        workloads.advance(Duration.ofSeconds(29));
        assertThat(get(service.url().resolve("/health")).statusCode()).isEqualTo(503);
        workloads.advance(Duration.ofSeconds(1));
        assertThat(get(service.url().resolve("/health")).statusCode()).isEqualTo(200);
    }

    @Test
    void hangingServiceAcceptsTheConnectionButNeverAnswersWithinTheClientTimeout() {
        workloads.push("api", "stuck", ImageBehaviour.hangs());
        RunningService service = workloads.ecs.seedService("dev", "api-dev", Workloads.REGISTRY + "/api:stuck");

        HttpRequest request = HttpRequest.newBuilder(service.url().resolve("/health"))
                .timeout(Duration.ofMillis(300)).build();

        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void hangingServiceAnswers504AfterTheHangLimit() throws Exception {
        workloads.close();
        workloads = new Workloads(WorkloadTiming.defaults().withHealthHangLimit(Duration.ofMillis(200)));
        workloads.push("api", "stuck", ImageBehaviour.hangs());
        RunningService service = workloads.ecs.seedService("dev", "api-dev", Workloads.REGISTRY + "/api:stuck");

        assertThat(get(service.url().resolve("/health")).statusCode()).isEqualTo(504);
    }

    @Test
    void closingReleasesAHangingHealthCheckAtOnce() throws Exception {
        workloads.push("api", "stuck", ImageBehaviour.hangs());
        RunningService service = workloads.ecs.seedService("dev", "api-dev", Workloads.REGISTRY + "/api:stuck");
        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(
                HttpRequest.newBuilder(service.url().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
        awaitHeldRequest(workloads.ecs.loadBalancer("dev", "api-dev"));

        long before = System.nanoTime();
        workloads.ecs.close();

        // The held request ends (cut off, unanswered) well before the 5 s hang limit of this fixture.
        assertThat(pending).failsWithin(Duration.ofSeconds(2)).withThrowableOfType(Exception.class);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void oldRevisionServesWhileTheNewOneRollsOutThenTheNewOne() throws Exception {
        EcrImage v1 = workloads.push("api", "v1", ImageBehaviour.healthy());
        EcrImage v2 = workloads.push("api", "v2", ImageBehaviour.unhealthy());
        RunningService service = workloads.ecs.seedService("dev", "api-dev", v1.uri());
        String next = workloads.register("api-dev", v2.uri());
        workloads.client.updateService(r -> r.cluster("dev").service("api-dev").taskDefinition(next));

        workloads.advance(Duration.ofSeconds(10));
        HttpResponse<String> during = get(service.url().resolve("/health"));
        workloads.advance(Duration.ofSeconds(10));
        HttpResponse<String> after = get(service.url().resolve("/health"));

        assertThat(during.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(during.body()).path("imageDigest").asText()).isEqualTo(v1.digest());
        assertThat(after.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(after.body()).path("imageDigest").asText()).isEqualTo(v2.digest());
    }

    @Test
    void rollingBackByUpdateServiceServesThePreviousDigestAgain() throws Exception {
        EcrImage v1 = workloads.push("api", "v1", ImageBehaviour.healthy());
        EcrImage v2 = workloads.push("api", "v2", ImageBehaviour.unhealthy());
        RunningService service = workloads.ecs.seedService("dev", "api-dev", v1.uri());
        String next = workloads.register("api-dev", v2.uri());
        workloads.client.updateService(r -> r.cluster("dev").service("api-dev").taskDefinition(next));
        workloads.advance(Duration.ofSeconds(20));
        assertThat(get(service.url().resolve("/health")).statusCode()).isEqualTo(503);

        workloads.client.updateService(r -> r.cluster("dev").service("api-dev")
                .taskDefinition(service.taskDefinitionArn()));
        workloads.advance(Duration.ofSeconds(20));

        HttpResponse<String> response = get(service.url().resolve("/health"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("imageDigest").asText()).isEqualTo(v1.digest());
    }

    @Test
    void slowStartingRevisionBecomesHealthyItsWarmUpAfterItsTasksStarted() throws Exception {
        RunningService service = workloads.ecs.seedService("dev", "api-dev",
                workloads.push("api", "v1", ImageBehaviour.healthy()).uri());
        String slow = workloads.register("api-dev",
                workloads.push("api", "v2", ImageBehaviour.slowStart(Duration.ofSeconds(30))).uri());
        workloads.client.updateService(r -> r.cluster("dev").service("api-dev").taskDefinition(slow));

        // Tasks RUNNING at 5 s, rollout COMPLETED at 20 s, warm-up over at 5 + 30 = 35 s.
        workloads.advance(Duration.ofSeconds(20));
        assertThat(get(service.url().resolve("/health")).statusCode()).isEqualTo(503);
        workloads.advance(Duration.ofSeconds(14));
        assertThat(get(service.url().resolve("/health")).statusCode()).isEqualTo(503);
        workloads.advance(Duration.ofSeconds(1));
        assertThat(get(service.url().resolve("/health")).statusCode()).isEqualTo(200);
    }

    @Test
    void healthCheckObservesTheClockAndEmitsDueEvents() throws Exception {
        EcrImage v1 = workloads.push("api", "v1", ImageBehaviour.healthy());
        EcrImage v2 = workloads.push("api", "v2", ImageBehaviour.healthy());
        RunningService service = workloads.ecs.seedService("dev", "api-dev", v1.uri());
        String next = workloads.register("api-dev", v2.uri());
        workloads.client.updateService(r -> r.cluster("dev").service("api-dev").taskDefinition(next));
        workloads.advance(Duration.ofSeconds(20));

        get(service.url().resolve("/health"));

        assertThat(workloads.deploymentEvents()).extracting(e -> e.path("detail").path("eventName").asText())
                .containsExactly("SERVICE_DEPLOYMENT_IN_PROGRESS", "SERVICE_DEPLOYMENT_COMPLETED");
    }

    @Test
    void serviceWithNothingCompletedYetAnswers503() throws Exception {
        workloads.client.createCluster(r -> r.clusterName("dev"));
        String definition = workloads.register("api", workloads.push("api", "v1", ImageBehaviour.healthy()).uri());
        workloads.client.createService(r -> r.cluster("dev").serviceName("api-dev").taskDefinition(definition)
                .desiredCount(1).networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-1"))));

        assertThat(get(workloads.ecs.serviceUrl("dev", "api-dev").resolve("/health")).statusCode()).isEqualTo(503);
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitHeldRequest(ServiceLoadBalancer loadBalancer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (loadBalancer.heldRequests() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The hanging revision did not receive the request within 2 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
