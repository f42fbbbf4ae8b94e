package dev.deckhand.local.gateway;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK HTTP server the local endpoints run on, set up so that slow or idle clients never starve
 * real requests. The JDK server reads a request's headers on a worker thread, blocking: a client
 * that connects and sends half a request holds its worker until it finishes. So each server gets
 * (1) a read timeout — a client that has not sent its whole request within {@link #REQUEST_READ_TIMEOUT}
 * is disconnected — and (2) workers enough for hundreds of such clients at once, made on demand
 * and let go when idle, instead of a small fixed pool.
 */
public final class LoopbackServers {

    /** How long a client may take to send its request before it is disconnected. */
    public static final Duration REQUEST_READ_TIMEOUT = Duration.ofSeconds(20);
    /** The most workers one server runs at once; a further request waits for a free one. */
    public static final int MAX_WORKERS = 1024;

    static {
        // The JDK server reads these once, when its first server is made (sun.net.httpserver.ServerConfig):
        // the time a request may take to arrive (seconds; -1, the default, is forever) and how often the
        // timer that enforces it runs. A value the user set on the command line wins.
        setIfAbsent("sun.net.httpserver.maxReqTime", Long.toString(REQUEST_READ_TIMEOUT.toSeconds()));
        setIfAbsent("sun.net.httpserver.timerMillis", "1000");
    }

    /** Creates a server bound to {@code address} with the worker pool above; not started. */
    public static HttpServer create(InetSocketAddress address, String threadName) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        server.setExecutor(workers(threadName));
        return server;
    }

    /** Workers made on demand up to {@link #MAX_WORKERS}, each let go after 30 s idle. */
    public static ExecutorService workers(String threadName) {
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(0, MAX_WORKERS, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, threadName + "-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        // Past MAX_WORKERS, the server's dispatcher thread runs the exchange itself: slower, never refused.
        executor.setRejectedExecutionHandler(new ThreadPoolExecutor.CallerRunsPolicy());
        return executor;
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private LoopbackServers() {
    }
}
