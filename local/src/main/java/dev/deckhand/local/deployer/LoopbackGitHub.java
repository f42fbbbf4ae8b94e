package dev.deckhand.local.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.deckhand.json.DeckhandJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A stand-in for GitHub's REST API on loopback that records what it is sent: create a deployment,
 * create a deployment status, create an issue (each answering 201 as GitHub does), for a token it
 * issued; anything else 404. It can be taken down to show that a GitHub outage changes no outcome.
 */
public final class LoopbackGitHub implements AutoCloseable {

    /** One request: method, path, whether it carried this server's token, and its JSON body. */
    public record Request(String method, String path, boolean authorized, JsonNode body) {
    }

    private static final Pattern DEPLOYMENTS = Pattern.compile("/repos/[^/]+/[^/]+/deployments");
    private static final Pattern STATUSES = Pattern.compile("/repos/[^/]+/[^/]+/deployments/\\d+/statuses");
    private static final Pattern ISSUES = Pattern.compile("/repos/[^/]+/[^/]+/issues");

    private final HttpServer server;
    private final String token = "ghs_local" + UUID.randomUUID().toString().replace("-", "");
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private final AtomicBoolean down = new AtomicBoolean();

    public LoopbackGitHub() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local GitHub API on 127.0.0.1", e);
        }
        server.createContext("/", this::answer);
        server.start();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String path = exchange.getRequestURI().getPath();
            boolean authorized = ("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            JsonNode json = body.length == 0 ? DeckhandJson.MAPPER.createObjectNode() : DeckhandJson.MAPPER.readTree(body);
            requests.add(new Request(exchange.getRequestMethod(), path, authorized, json));
            if (down.get()) {
                send(exchange, 503, "{\"message\":\"Service Unavailable\"}");
            } else if (!authorized) {
                send(exchange, 401, "{\"message\":\"Bad credentials\"}");
            } else if (!exchange.getRequestMethod().equals("POST")) {
                send(exchange, 404, "{\"message\":\"Not Found\"}");
            } else if (DEPLOYMENTS.matcher(path).matches()) {
                send(exchange, 201, "{\"id\":" + ids.incrementAndGet() + ",\"ref\":" + json.path("ref") + "}");
            } else if (STATUSES.matcher(path).matches()) {
                send(exchange, 201, "{\"id\":" + ids.incrementAndGet() + ",\"state\":" + json.path("state") + "}");
            } else if (ISSUES.matcher(path).matches()) {
                send(exchange, 201, "{\"number\":" + ids.incrementAndGet() + "}");
            } else {
                send(exchange, 404, "{\"message\":\"Not Found\"}");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** The API root (what api.github.com is to GitHub.com). */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The token this server accepts: what the configured token secrets hold locally (never print it). */
    public String token() {
        return token;
    }

    /** The requests received so far, oldest first. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** While down, every request is answered 503. */
    public void down(boolean isDown) {
        down.set(isDown);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
