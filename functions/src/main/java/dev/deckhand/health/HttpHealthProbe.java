package dev.deckhand.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Health probes over HTTP with the JDK's {@link HttpURLConnection} (no extra dependency in the
 * Lambda jar). Not {@code java.net.http}: its client builds the default TLS context when it is
 * built, even for a plain-HTTP URL, and starts a selector thread — most of a cold health check's
 * first probe; this connection pays for TLS only when the URL is https. The timeout bounds the
 * whole answer — connection, headers and body: a read timeout alone restarts at every byte, and a
 * connection cannot be closed from another thread while a read holds its stream, so the exchange
 * runs on a daemon thread that the probe waits for until the deadline, and a body trickling past
 * it is dropped by that thread at its next read.
 */
public final class HttpHealthProbe implements HealthProbe {

    /** Enough body for a status page or a version field; a health check is no place for megabytes. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    /** Runs the exchanges; threads are made on demand, so a function that never probes starts none. */
    private final ExecutorService exchanges = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "deckhand-health-probe");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public ProbeAnswer probe(String url, Duration timeout) {
        long millis = Math.max(1, timeout.toMillis());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        Future<ProbeAnswer> answer = exchanges.submit(() -> exchange(url, timeout, (int) Math.min(Integer.MAX_VALUE, millis),
                deadline));
        try {
            return answer.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return ProbeAnswer.noAnswer("timed out after " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            return ProbeAnswer.noAnswer(e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return ProbeAnswer.noAnswer("interrupted");
        }
    }

    private static ProbeAnswer exchange(String url, Duration timeout, int millis, long deadline) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS); // as before; the probe's wait bounds it too
            connection.setReadTimeout(millis);
            connection.setRequestProperty("User-Agent", "Deckhand-HealthCheck");
            int status = connection.getResponseCode();
            return ProbeAnswer.answered(status, body(connection, status, deadline));
        } catch (IOException | IllegalArgumentException e) {
            if (connection != null) {
                connection.disconnect();
            }
            return failure(e, url, timeout);
        }
    }

    /**
     * At most {@link #MAX_BODY_BYTES}; a longer body, or one still arriving at the deadline, is cut
     * and its connection closed, not drained.
     */
    private static String body(HttpURLConnection connection, int status, long deadline) throws IOException {
        InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (stream == null) {
            return "";
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read = 0;
        while (bytes.size() < MAX_BODY_BYTES && System.nanoTime() - deadline < 0
                && (read = stream.read(buffer, 0, Math.min(buffer.length, MAX_BODY_BYTES - bytes.size()))) != -1) {
            bytes.write(buffer, 0, read);
        }
        if (read == -1) {
            stream.close(); // read to the end: the connection may serve the next probe
        } else {
            connection.disconnect();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static ProbeAnswer failure(Exception cause, String url, Duration timeout) {
        if (cause instanceof SocketTimeoutException) {
            return String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).startsWith("connect")
                    ? ProbeAnswer.noAnswer("connection timed out")
                    : ProbeAnswer.noAnswer("timed out after " + timeout.toSeconds() + " s");
        }
        if (cause instanceof ConnectException) {
            return ProbeAnswer.noAnswer("connection refused");
        }
        if (cause instanceof UnknownHostException) {
            return ProbeAnswer.noAnswer("unknown host " + URI.create(url).getHost());
        }
        return ProbeAnswer.noAnswer(cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }
}
