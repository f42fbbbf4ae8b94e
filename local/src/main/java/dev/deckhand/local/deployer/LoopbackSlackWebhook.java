package dev.deckhand.local.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.deckhand.json.DeckhandJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A stand-in for a Slack incoming webhook on loopback: the local Deckhand points the Slack secrets
 * the configuration names at it, so a notification arrives somewhere a person can see it. Its URL
 * carries a random path, like a real webhook's secret part, and is never printed.
 */
public final class LoopbackSlackWebhook implements AutoCloseable {

    private final HttpServer server;
    private final String secretPath = "/services/" + UUID.randomUUID();
    private final List<String> messages = new CopyOnWriteArrayList<>();

    /** @param received told of each message's text as it arrives */
    public LoopbackSlackWebhook(Consumer<String> received) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local Slack webhook on 127.0.0.1", e);
        }
        server.createContext(secretPath, exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                JsonNode message = DeckhandJson.MAPPER.readTree(body);
                String text = message == null ? "" : message.path("text").asText();
                messages.add(text);
                received.accept(text);
                exchange.sendResponseHeaders(200, -1);
            } catch (IOException e) {
                // Slack answers a body that is not JSON with 400 invalid_payload.
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** The webhook URL (secret: store it, do not print it). */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + secretPath);
    }

    /** The texts received so far, oldest first. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
