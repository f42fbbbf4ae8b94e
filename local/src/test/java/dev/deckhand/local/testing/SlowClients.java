package dev.deckhand.local.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded crowd of slow clients on loopback: each connects and sends the start of a request (the
 * request line and one header) and then nothing more, as a stalled or malicious client does. The
 * crowd is closed, every socket with it, when the test ends; nothing runs in the background.
 */
public final class SlowClients implements AutoCloseable {

    private final List<Socket> sockets = new ArrayList<>();

    private SlowClients() {
    }

    /** Opens {@code count} connections to {@code endpoint}, each left half-way through its request. */
    public static SlowClients open(URI endpoint, int count) throws IOException {
        SlowClients clients = new SlowClients();
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                clients.sockets.add(socket);
                socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 2_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST / HTTP/1.1\r\nHost: " + endpoint.getHost() + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            clients.close();
            throw e;
        }
        return clients;
    }

    /** How many of the connections are still open from this side. */
    public int open() {
        return (int) sockets.stream().filter(socket -> socket.isConnected() && !socket.isClosed()).count();
    }

    @Override
    public void close() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing is best effort: the test is over.
            }
        }
    }
}
