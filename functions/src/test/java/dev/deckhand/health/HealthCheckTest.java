package dev.deckhand.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.deckhand.config.HealthCheckSettings;
import dev.deckhand.deployment.ImageDigest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real HTTP on loopback: a scripted server answers each probe in turn. */
class HealthCheckTest {

    private static final ImageDigest DEPLOYED = new ImageDigest("sha256:" + "d".repeat(64));
    private static final ImageDigest OLD = new ImageDigest("sha256:" + "0".repeat(64));

    private final ConcurrentLinkedQueue<int[]> statuses = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
    private final CountDownLatch releaseHangingRequests = new CountDownLatch(1);
    private final List<Duration> pauses = new ArrayList<>();
    private HttpServer server;
    private HealthCheck healthCheck;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/health", exchange -> {
            int[] status = statuses.poll();
            String body = bodies.poll();
            byte[] bytes = (body == null ? "" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status == null ? 500 : status[0], bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.createContext("/hang", exchange -> {
            try {
                releaseHangingRequests.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.createContext("/trickle", exchange -> {
            // Headers at once, then one body byte every 2 s for 40 s: a probe bounded only up to
            // the headers would wait the whole 40 s.
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 20 && !releaseHangingRequests.await(2, TimeUnit.SECONDS); i++) {
                    out.write('o');
                    out.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the probe gave up and closed the connection: what the test wants
            }
        });
        server.start();
        healthCheck = new HealthCheck(new HttpHealthProbe(), pauses::add);
    }

    @AfterEach
    void stopServer() {
        releaseHangingRequests.countDown();
        server.stop(0);
    }

    @Test
    void isHealthyAfterTheRequiredAnswersInARowSpacedBySeconds() throws Exception {
        answer(200, "{\"status\":\"ok\",\"image\":\"" + DEPLOYED + "\"}", 3);

        HealthRound round = healthCheck.round(settings("/health", null, 3), DEPLOYED);

        assertThat(round.healthy()).isTrue();
        assertThat(round.answers()).hasSize(3).allSatisfy(answer -> assertThat(answer.detail()).isEqualTo("status 200"));
        assertThat(pauses).containsExactly(HealthCheck.PROBE_SPACING, HealthCheck.PROBE_SPACING);
    }

    @Test
    void stopsAtTheFirstUnhealthyAnswerAndSaysWhy() throws Exception {
        answer(200, "ok", 1);
        answer(503, "{\"status\": \"starting\"}", 1);

        HealthRound round = healthCheck.round(settings("/health", null, 3), DEPLOYED);

        assertThat(round.healthy()).isFalse();
        assertThat(round.answers()).hasSize(2);
        assertThat(round.last().status()).isEqualTo(503);
        assertThat(round.last().detail()).isEqualTo("status 503, expected 200: {\"status\": \"starting\"}");
    }

    @Test
    void anAnswerFromTheOldImageIsUnhealthy() throws Exception {
        answer(200, "{\"status\":\"ok\",\"image\":\"" + OLD + "\"}", 1);

        HealthRound round = healthCheck.round(settings("/health", null, 1), DEPLOYED);

        assertThat(round.healthy()).isFalse();
        assertThat(round.last().detail()).isEqualTo("serves " + OLD + ", not the deployed " + DEPLOYED);
    }

    @Test
    void aBodyWithoutTheExpectedTextIsUnhealthy() throws Exception {
        answer(200, "{\"status\":\"degraded\"}", 1);

        HealthRound round = healthCheck.round(settings("/health", "\"status\":\"ok\"", 1), DEPLOYED);

        assertThat(round.healthy()).isFalse();
        assertThat(round.last().detail()).startsWith("body does not contain '\"status\":\"ok\"'");
    }

    @Test
    void aTimeoutIsUnhealthyNotAPass() throws Exception {
        HealthRound round = healthCheck.round(settings("/hang", null, 1), DEPLOYED);

        assertThat(round.healthy()).isFalse();
        assertThat(round.last().status()).isNull();
        assertThat(round.last().detail()).isEqualTo("no answer: timed out after 1 s");
    }

    @Test
    void aBodyTricklingInEndsTheRoundWithinItsTimeout() throws Exception {
        HealthCheckSettings settings = new HealthCheckSettings("http://127.0.0.1:" + server.getAddress().getPort()
                + "/trickle", 200, null, 3, 10, 2);
        long started = System.nanoTime();

        HealthRound round = healthCheck.round(settings, DEPLOYED);

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(round.healthy()).isFalse();
        assertThat(round.answers()).hasSize(1);
        assertThat(round.last().detail()).isEqualTo("no answer: timed out after 2 s");
        // The deadline covers connect, headers and body: 2 s, plus scheduling slack on a busy machine.
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofMillis(3500));
    }

    @Test
    void aRefusedConnectionIsUnhealthy() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HealthCheckSettings settings = new HealthCheckSettings("http://127.0.0.1:" + closedPort + "/health", 200, null,
                1, 10, 1);

        HealthRound round = healthCheck.round(settings, DEPLOYED);

        assertThat(round.healthy()).isFalse();
        assertThat(round.last().detail()).isEqualTo("no answer: connection refused");
    }

    @Test
    void anUnknownHostIsUnhealthy() throws Exception {
        HealthCheckSettings settings = new HealthCheckSettings("http://deckhand-no-such-host.invalid/health", 200,
                null, 1, 10, 1);

        HealthRound round = healthCheck.round(settings, DEPLOYED);

        assertThat(round.healthy()).isFalse();
        assertThat(round.last().detail()).startsWith("no answer: ");
    }

    private void answer(int status, String body, int times) {
        for (int i = 0; i < times; i++) {
            statuses.add(new int[] {status});
            bodies.add(body);
        }
    }

    private HealthCheckSettings settings(String path, String bodyContains, int consecutive) {
        return new HealthCheckSettings("http://127.0.0.1:" + server.getAddress().getPort() + path, 200, bodyContains,
                consecutive, 10, 1);
    }
}
