package dev.deckhand.local.dynamodb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * DynamoDB Local — the real DynamoDB Local from Maven Central — running in this JVM, in memory, on
 * an ephemeral port of 127.0.0.1.
 *
 * <p>It brings its own AWS SDKs, Jetty and logging, so it runs in an isolated class loader over the
 * jars the build copies to {@code local-dynamodb/target/lib}. That loader is shared by every
 * instance in the JVM: sqlite4java's native library can be loaded by one class loader only. Each
 * instance is its own in-memory database ({@code -inMemory}), so nothing is written to disk.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    private static final String RUNNER = "com.amazonaws.services.dynamodbv2.local.main.ServerRunner";
    private static final String INPUT = "com.amazonaws.services.dynamodbv2.local.main.CommandLineInput";
    private static URLClassLoader sharedLoader;

    private final Object server;
    private final int port;

    private EmbeddedDynamoDb(Object server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts an in-memory DynamoDB Local on an ephemeral loopback port.
     *
     * @throws IllegalStateException when the build has not copied DynamoDB Local's jars, or it fails to start
     */
    public static EmbeddedDynamoDb start() {
        ClassLoader loader = loader();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            // -sharedDb: one database whatever access key the client signs with.
            // -disableTelemetry: DynamoDB Local otherwise reports usage over the network.
            // Its command line refuses port 0; the connector is moved to an ephemeral port below.
            Class<?> inputClass = loader.loadClass(INPUT);
            Object input = inputClass.getConstructor(String[].class).newInstance(
                    (Object) new String[] {"-inMemory", "-sharedDb", "-disableTelemetry", "-port", "8000"});
            if (!(boolean) inputClass.getMethod("init").invoke(input)) {
                throw new IllegalStateException("DynamoDB Local refused its command line");
            }
            // createServer, not createServerFromCommandLineArgs: the latter prints its settings to stdout.
            Object server = loader.loadClass(RUNNER).getMethod("createServer", inputClass).invoke(null, input);
            Object connector = bindToLoopback(server);
            server.getClass().getMethod("start").invoke(server);
            int port = (int) connector.getClass().getMethod("getLocalPort").invoke(connector);
            return new EmbeddedDynamoDb(server, port);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("DynamoDB Local failed to start: " + cause, cause);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /**
     * DynamoDB Local's Jetty listens on every interface of the given port; the local cloud stays on an
     * ephemeral port of loopback, so instances and other programs never clash.
     */
    private static Object bindToLoopback(Object proxyServer) throws ReflectiveOperationException {
        Field field = proxyServer.getClass().getDeclaredField("server");
        field.setAccessible(true);
        Object jetty = field.get(proxyServer);
        Object[] connectors = (Object[]) jetty.getClass().getMethod("getConnectors").invoke(jetty);
        Object connector = connectors[0];
        Method setHost = connector.getClass().getMethod("setHost", String.class);
        setHost.invoke(connector, "127.0.0.1");
        connector.getClass().getMethod("setPort", int.class).invoke(connector, 0);
        return connector;
    }

    /** Where DynamoDB Local answers, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            server.getClass().getMethod("stop").invoke(server);
            Field handler = server.getClass().getDeclaredField("serverHandler");
            handler.setAccessible(true);
            stopBackgroundJobs(handler.get(server), Collections.newSetFromMap(new IdentityHashMap<>()), 0);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("DynamoDB Local failed to stop: " + cause, cause);
        }
    }

    /**
     * DynamoDB Local's stop() leaves its streams' shard-rollover job sleeping in a non-daemon thread
     * forever (2.6.1), which keeps the in-memory database alive and a JVM from exiting. Its job
     * registers are found in the server's object graph and stopped: jobs cancelled, pools shut down.
     */
    private static void stopBackgroundJobs(Object node, Set<Object> seen, int depth) throws ReflectiveOperationException {
        if (node == null || depth > 8 || !seen.add(node) || node.getClass().getClassLoader() != sharedLoader
                && !(node instanceof Map<?, ?>) && !(node instanceof Iterable<?>)) {
            return;
        }
        if (node instanceof Map<?, ?> map) {
            for (Object value : snapshot(map.values())) {
                stopBackgroundJobs(value, seen, depth + 1);
            }
            return;
        }
        if (node instanceof Iterable<?> items) {
            for (Object item : snapshot(items)) {
                stopBackgroundJobs(item, seen, depth + 1);
            }
            return;
        }
        String type = node.getClass().getName();
        if (type.endsWith(".jobs.JobsRegister")) {
            node.getClass().getMethod("shutdownNow").invoke(node);
            return;
        }
        if (type.contains(".jobs.") && type.endsWith("Scheduler")) {
            node.getClass().getMethod("cancel").invoke(node);
        }
        for (Class<?> c = node.getClass(); c != null && c.getClassLoader() == sharedLoader; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (!field.getType().isPrimitive() && !Modifier.isStatic(field.getModifiers())) {
                    field.setAccessible(true);
                    stopBackgroundJobs(field.get(node), seen, depth + 1);
                }
            }
        }
    }

    /**
     * A copy of one of DynamoDB Local's collections. They are not thread-safe (javolution), and its
     * threads may still be finishing a request while it stops: a copy that raced with one
     * (ArrayIndexOutOfBounds, NullPointerException inside javolution) is taken again.
     */
    private static List<Object> snapshot(Iterable<?> items) {
        RuntimeException raced = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                List<Object> copy = new ArrayList<>();
                items.forEach(copy::add);
                return copy;
            } catch (RuntimeException e) {
                raced = e;
                Thread.onSpinWait();
            }
        }
        throw raced;
    }

    private static synchronized ClassLoader loader() {
        if (sharedLoader == null) {
            Path directory = libraryDirectory();
            List<URL> jars = new ArrayList<>();
            try (Stream<Path> files = Files.list(directory)) {
                for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                    jars.add(jar.toUri().toURL());
                }
            } catch (MalformedURLException e) {
                throw new IllegalStateException("Cannot read DynamoDB Local's jars in " + directory, e);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read DynamoDB Local's jars in " + directory, e);
            }
            // sqlite4java looks for its native library (copied next to the jars) in this directory.
            System.setProperty("sqlite4java.library.path", directory.toString());
            sharedLoader = new URLClassLoader("dynamodb-local", jars.toArray(URL[]::new),
                    ClassLoader.getPlatformClassLoader());
        }
        return sharedLoader;
    }

    /** The directory the build wrote into dynamodb-local.properties, or -Ddeckhand.dynamodb.lib. */
    static Path libraryDirectory() {
        String configured = System.getProperty("deckhand.dynamodb.lib");
        if (configured == null) {
            Properties properties = new Properties();
            try (InputStream in = EmbeddedDynamoDb.class.getResourceAsStream("dynamodb-local.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read dynamodb-local.properties", e);
            }
            configured = properties.getProperty("directory");
        }
        if (configured == null || !Files.isDirectory(Path.of(configured))) {
            throw new IllegalStateException("DynamoDB Local's jars are not in " + configured
                    + ": build them with ./mvnw -pl local -am package (the local-dynamodb module copies them),"
                    + " or point -Ddeckhand.dynamodb.lib at a directory holding them");
        }
        return Path.of(configured).normalize();
    }
}
