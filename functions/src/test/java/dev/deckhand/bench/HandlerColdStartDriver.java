package dev.deckhand.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the Lambda runtime does in a fresh execution environment, minus the runtime API: loads one
 * handler class from the shaded Lambda jar, constructs it with its no-argument constructor (wiring
 * from the environment: SDK clients, configuration), then invokes it twice with the same event.
 * Prints one line, {@value #PREFIX} and a JSON object of timings, for {@code HandlerColdStartBenchmark}
 * (local module), which starts this class in a fresh JVM per run with
 * {@code java -cp <lambda jar>:functions/target/test-classes}.
 *
 * <p>Arguments: the handler's class name, a file holding the event.
 */
public final class HandlerColdStartDriver {

    /** Marks the driver's line among the handler's own log lines. */
    public static final String PREFIX = "DECKHAND-COLD-START ";

    /**
     * The driver's own JSON, built on first use: for a stream handler that is after the first
     * response, because Lambda's runtime hands a stream handler its bytes without binding them, and
     * building a mapper here first would spare the handler part of its own start (or add to it).
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    private HandlerColdStartDriver() {
    }

    public static void main(String[] args) throws Exception {
        long mainEntered = System.currentTimeMillis();
        long jvmStarted = ManagementFactory.getRuntimeMXBean().getStartTime();
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: HandlerColdStartDriver <handler class> <event file>");
        }
        byte[] event = Files.readAllBytes(Path.of(args[1]));

        long started = System.nanoTime();
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        long init = System.nanoTime() - started;

        started = System.nanoTime();
        String first = invoke(handler, event, args[0]);
        long firstInvocation = System.nanoTime() - started;
        long firstResponseAt = System.currentTimeMillis();
        // What the JVM spent on its way to the answer, JIT and GC threads included, and how many
        // classes it loaded: less sensitive to a shared machine's load than the wall clock.
        long cpuToFirstResponse = ((com.sun.management.OperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
        long classesToFirstResponse = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();

        started = System.nanoTime();
        invoke(handler, event, args[0]);
        long secondInvocation = System.nanoTime() - started;

        ObjectNode figures = Json.MAPPER.createObjectNode();
        figures.put("jvmStartedAt", jvmStarted);
        figures.put("mainEnteredAt", mainEntered);
        figures.put("firstResponseAt", firstResponseAt);
        figures.put("cpuNanosToFirstResponse", cpuToFirstResponse);
        figures.put("classesToFirstResponse", classesToFirstResponse);
        figures.put("initNanos", init);
        figures.put("firstInvocationNanos", firstInvocation);
        figures.put("secondInvocationNanos", secondInvocation);
        figures.put("response", first.length() > 80 ? first.substring(0, 80) + "..." : first);
        System.out.println(PREFIX + Json.MAPPER.writeValueAsString(figures));
        System.out.flush();
        // On Lambda the environment is frozen after the response, not ended; here the measurement is
        // over, and a library's non-daemon thread (e.g. a metrics sink) must not keep the JVM alive.
        System.exit(0);
    }

    /**
     * One invocation as the runtime makes it: raw bytes for a stream handler; for a typed handler,
     * the event bound to its input type and the result written back as JSON. A thrown exception is
     * the runtime's error response; it is reported as such.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String invoke(Object handler, byte[] event, String name) throws Exception {
        TestContext context = new TestContext(name.substring(name.lastIndexOf('.') + 1));
        try {
            if (handler instanceof RequestStreamHandler) {
                ByteArrayOutputStream output = new ByteArrayOutputStream();
                ((RequestStreamHandler) handler).handleRequest(new ByteArrayInputStream(event), output, context);
                return output.toString(StandardCharsets.UTF_8);
            }
            if (handler instanceof RequestHandler) {
                Object input = Json.MAPPER.readValue(event, inputType(handler.getClass()));
                return Json.MAPPER.writeValueAsString(((RequestHandler) handler).handleRequest(input, context));
            }
        } catch (RuntimeException e) {
            ObjectNode error = Json.MAPPER.createObjectNode();
            error.put("errorType", e.getClass().getName());
            error.put("errorMessage", e.getMessage());
            return Json.MAPPER.writeValueAsString(error);
        }
        throw new IllegalArgumentException(name + " is neither a RequestStreamHandler nor a RequestHandler");
    }

    private static Class<?> inputType(Class<?> handler) {
        for (Method method : handler.getMethods()) {
            if (method.getName().equals("handleRequest") && method.getParameterCount() == 2 && !method.isBridge()) {
                return method.getParameterTypes()[0];
            }
        }
        throw new IllegalArgumentException(handler.getName() + " has no handleRequest(input, context)");
    }
}
