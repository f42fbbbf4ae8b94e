package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * In-process "Lambda functions" behind the optimized {@code arn:aws:states:::lambda:invoke}
 * integration, reproducing what Step Functions reports
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html):
 * <ul>
 *   <li>the task result is the Invoke response with the function's return value parsed into
 *       {@code Payload}: {@code {"ExecutedVersion", "Payload", "SdkHttpMetadata",
 *       "SdkResponseMetadata", "StatusCode": 200}};</li>
 *   <li>when the function throws, the task fails with the error name the Java runtime reports as
 *       {@code errorType} — the exception's fully qualified class name — and, as cause, the
 *       runtime's error payload {@code {"errorMessage","errorType","stackTrace"}} as a JSON string;
 *       such errors match {@code States.TaskFailed} and {@code States.ALL};</li>
 *   <li>an unknown function fails with {@code Lambda.ResourceNotFoundException}; a function may
 *       throw a {@link StatesError} named e.g. {@code Lambda.TooManyRequestsException} or
 *       {@code Lambda.ServiceException} to simulate a transient service error, which is reported
 *       as is.</li>
 * </ul>
 */
public final class LambdaFunctions implements TaskResource {

    /** The optimized Lambda integration's Resource ARN. */
    public static final String INVOKE = "arn:aws:states:::lambda:invoke";

    private final Map<String, LambdaFunction> functions = new ConcurrentHashMap<>();

    /** A function's code: the event in, the response out; exceptions become task errors. */
    @FunctionalInterface
    public interface LambdaFunction {
        /** Handles one invocation. */
        JsonNode handle(JsonNode event) throws Exception;
    }

    /** Registers a function under its name (FunctionName may then be the name, an ARN, or name:alias). */
    public LambdaFunctions register(String functionName, LambdaFunction function) {
        functions.put(functionName, function);
        return this;
    }

    /** Registers this adapter for {@link #INVOKE} (and its {@code .waitForTaskToken} variant). */
    public TaskResources registerInto(TaskResources resources) {
        return resources.register(INVOKE, this);
    }

    @Override
    public JsonNode invoke(TaskInvocation invocation) {
        JsonNode arguments = invocation.arguments();
        String functionName = arguments.path("FunctionName").asText("");
        LambdaFunction function = functions.get(shortName(functionName));
        if (function == null) {
            throw new StatesError("Lambda.ResourceNotFoundException", "Function not found: " + functionName
                    + " (Service: Lambda, Status Code: 404, Request ID: " + requestId() + ")");
        }
        JsonNode event = arguments.has("Payload") ? arguments.get("Payload") : Json.MAPPER.createObjectNode();
        JsonNode payload;
        try {
            payload = function.handle(event);
        } catch (StatesError serviceError) {
            throw serviceError;
        } catch (Exception e) {
            throw new StatesError(e.getClass().getName(), Json.write(runtimeErrorPayload(e)));
        }
        return invokeResponse(payload == null ? Json.MAPPER.nullNode() : payload);
    }

    /**
     * A random version-4 UUID for a request ID. Not UUID.randomUUID(): its SecureRandom is one lock
     * for the whole JVM, and a thousand executions invoking functions at once queued on it.
     */
    static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static ObjectNode invokeResponse(JsonNode payload) {
        String requestId = requestId();
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("ExecutedVersion", "$LATEST");
        response.set("Payload", payload);
        ObjectNode http = response.putObject("SdkHttpMetadata");
        ObjectNode headers = Json.MAPPER.createObjectNode();
        headers.put("Content-Type", "application/json");
        headers.put("X-Amz-Executed-Version", "$LATEST");
        headers.put("x-amzn-RequestId", requestId);
        http.set("AllHttpHeaders", allHeaders(headers));
        http.set("HttpHeaders", headers);
        http.put("HttpStatusCode", 200);
        response.putObject("SdkResponseMetadata").put("RequestId", requestId);
        response.put("StatusCode", 200);
        return response;
    }

    private static ObjectNode allHeaders(ObjectNode headers) {
        ObjectNode all = Json.MAPPER.createObjectNode();
        headers.properties().forEach(entry -> all.putArray(entry.getKey()).add(entry.getValue().asText()));
        return all;
    }

    /** The error payload of the Java runtime (aws-lambda-java-runtime-interface-client). */
    private static ObjectNode runtimeErrorPayload(Exception e) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("errorMessage", e.getMessage());
        payload.put("errorType", e.getClass().getName());
        ArrayNode stack = payload.putArray("stackTrace");
        for (StackTraceElement element : e.getStackTrace()) {
            stack.add(element.toString());
        }
        return payload;
    }

    /** "my-fn", "my-fn:live", "123456789012:function:my-fn" and full ARNs all name "my-fn". */
    static String shortName(String functionName) {
        String name = functionName;
        int function = name.indexOf("function:");
        if (function >= 0) {
            name = name.substring(function + "function:".length());
        }
        int qualifier = name.indexOf(':');
        return qualifier >= 0 ? name.substring(0, qualifier) : name;
    }
}
