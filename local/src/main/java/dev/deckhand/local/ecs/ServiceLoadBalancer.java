package dev.deckhand.local.ecs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A service's "load balancer": an HTTP server on 127.0.0.1 (ephemeral port) that answers every GET
 * with the health of the revision currently serving, so health checks are real HTTP requests. A
 * hanging revision holds the connection for at most the hang limit (then 504, as a load balancer
 * whose target timed out) and is released at once when the server closes.
 */
final class ServiceLoadBalancer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ServiceLoadBalancer.class.getName());

    private final HttpServer server;
    private final ExecutorService workers;
    private final Supplier<HealthAnswer> health;
    private final Duration hangLimit;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger held = new AtomicInteger();

    ServiceLoadBalancer(String serviceName, Supplier<HealthAnswer> health, Duration hangLimit) {
        this.health = health;
        this.hangLimit = hangLimit;
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open a loopback port for service " + serviceName, e);
        }
        // Hanging requests must not hold up the others, so each request gets its own (daemon) thread.
        this.workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "deckhand-lb-" + serviceName);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        server.createContext("/", this::answer);
        server.start();
    }

    /** How many requests a hanging revision is holding right now. */
    int heldRequests() {
        return held.get();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            HealthAnswer answer = health.get();
            if (answer instanceof HealthAnswer.Respond respond) {
                send(exchange, respond.status(), respond.body());
                return;
            }
            held.incrementAndGet();
            try {
                if (!closed.await(hangLimit.toMillis(), TimeUnit.MILLISECONDS)) {
                    send(exchange, 504, "{\"status\":\"timeout\"}");
                }
            } finally {
                held.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client gave up first (its own timeout against a hanging revision): nothing to answer.
            LOG.log(System.Logger.Level.DEBUG, "Health check client went away: " + e.getMessage());
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        workers.shutdownNow();
    }
}
