package dev.deckhand.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.deckhand.json.DeckhandJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a Slack incoming webhook on loopback, so the demo shows a notification arrive.
 * Its URL carries a random path, like a real webhook's secret part; the demo stores it in the
 * local Secrets Manager and never prints it.
 */
final class SlackReceiver implements AutoCloseable {

    private final HttpServer server;
    private final String secretPath = "/services/" + UUID.randomUUID();
    private final List<String> messages = new CopyOnWriteArrayList<>();

    SlackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(secretPath, exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                JsonNode message = DeckhandJson.MAPPER.readTree(body);
                messages.add(message.path("text").asText());
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + secretPath);
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
