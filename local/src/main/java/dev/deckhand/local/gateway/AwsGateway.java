package dev.deckhand.local.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.deckhand.local.aws.AwsErrorException;
import dev.deckhand.local.aws.JsonProtocolService;
import dev.deckhand.local.aws.QueryProtocolService;
import dev.deckhand.local.aws.RequestValidator;
import dev.deckhand.local.fault.FaultInjector;
import dev.deckhand.local.fault.FaultKind;
import dev.deckhand.local.iam.IamEnforcement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local cloud's one HTTP port, like LocalStack's 4566: every AWS client pointed at it is routed
 * by protocol. AWS JSON requests ({@code X-Amz-Target: Prefix.Operation}) go to the registered
 * {@link JsonProtocolService} or are forwarded to a backend (DynamoDB Local); query-protocol
 * requests ({@code Action=...}) go to the {@link QueryProtocolService} named by their signing
 * scope; Smithy RPC v2 CBOR requests ({@code POST /service/<Prefix>/operation/<Operation>} with
 * {@code smithy-protocol: rpc-v2-cbor}, which CloudWatch's current clients speak) go to the JSON
 * service of that prefix, decoded from and answered in CBOR. Faults are injected here, before a service sees the request; then the request is
 * validated against the SDK's model and the service's table of limits ({@link ServiceRules}), as
 * AWS's front door does. SigV4 signatures are accepted, not verified.
 */
public final class AwsGateway implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AwsGateway.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Smithy RPC v2 CBOR: the path names service and operation (smithy.io, "RPC v2 CBOR protocol", Requests). */
    private static final Pattern RPC_V2_PATH = Pattern.compile("/service/([^/]+)/operation/([^/]+)");
    private static final Wire AWS_JSON = new Wire(JSON, null, false);
    private static final Wire RPC_V2_CBOR = new Wire(new CBORMapper(), "application/cbor", true);
    /** The service in a SigV4 credential scope: Credential=AKID/20240101/us-east-1/sns/aws4_request. */
    private static final Pattern SIGNING_NAME = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/");
    /** The access key id of a SigV4 credential scope. */
    private static final Pattern ACCESS_KEY = Pattern.compile("Credential=([^/,\\s]+)/");
    private static final List<String> FORWARDED_HEADERS =
            List.of("Content-Type", "X-Amz-Target", "Authorization", "X-Amz-Date", "X-Amz-Security-Token");

    private final Map<String, JsonProtocolService> jsonServices;
    /** Services of other accounts (ECS, Logs of a cross-account environment), by account. */
    private final Map<String, Map<String, JsonProtocolService>> accountServices = new ConcurrentHashMap<>();
    /** The account of each access key that is not the local cloud's own account's. */
    private final Map<String, String> keyAccounts = new ConcurrentHashMap<>();
    private final Map<String, URI> forwards = new ConcurrentHashMap<>();
    private final Map<String, QueryProtocolService> queryServices;
    private final FaultInjector faults;
    private volatile IamEnforcement iam;
    private final Map<String, RequestValidator> validators = ServiceRules.byTargetPrefix();
    private final RequestValidator dynamoDbModel = ServiceRules.dynamoDbModel();
    /** "Target: member.path" of every request member no SDK model defines (see {@link #unmodelledMembers}). */
    private final Set<String> unmodelled = ConcurrentHashMap.newKeySet();
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient forwarder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Binds to {@code 127.0.0.1:port} (0 picks a free port) without starting to serve.
     *
     * @param forwards X-Amz-Target prefixes answered by another local server, e.g. DynamoDB Local
     * @throws UncheckedIOException when the port cannot be bound (e.g. it is in use)
     */
    public AwsGateway(int port, List<JsonProtocolService> jsonServices, Map<String, URI> forwards,
            List<QueryProtocolService> queryServices, FaultInjector faults) {
        this.jsonServices = new LinkedHashMap<>();
        jsonServices.forEach(service -> this.jsonServices.put(service.targetPrefix(), service));
        this.forwards.putAll(forwards);
        this.queryServices = new LinkedHashMap<>();
        queryServices.forEach(service -> this.queryServices.put(service.signingName(), service));
        this.faults = faults;
        try {
            // Read timeouts and workers on demand: slow or idle clients never starve real requests.
            this.server = LoopbackServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    "deckhand-local-cloud");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        this.executor = (ExecutorService) server.getExecutor();
        server.createContext("/", this::serve);
    }

    /**
     * Authorizes every request signed by a function identity against its policy before any service
     * (or DynamoDB Local) sees it; {@code null} switches enforcement off.
     */
    public void enforce(IamEnforcement enforcement) {
        this.iam = enforcement;
    }

    /**
     * Answers requests signed with another account's keys ({@link #bindKey}) for this service's
     * target prefix with {@code service}, that account's own.
     */
    public void host(String account, JsonProtocolService service) {
        accountServices.computeIfAbsent(account, any -> new ConcurrentHashMap<>()).put(service.targetPrefix(), service);
    }

    /** Requests signed with {@code accessKeyId} act in {@code account}: AWS knows a key's account, so does the gateway. */
    public void bindKey(String accessKeyId, String account) {
        keyAccounts.put(accessKeyId, account);
    }

    /** Forwards requests whose X-Amz-Target starts with {@code targetPrefix} to another local server. */
    public void forward(String targetPrefix, URI backend) {
        forwards.put(targetPrefix, backend);
    }

    public void start() {
        server.start();
    }

    /** The port actually bound (useful when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            Matcher rpcV2 = RPC_V2_PATH.matcher(exchange.getRequestURI().getRawPath());
            if (target != null) {
                serveJson(exchange, target, body, AWS_JSON);
            } else if ("rpc-v2-cbor".equals(exchange.getRequestHeaders().getFirst("smithy-protocol")) && rpcV2.matches()) {
                serveJson(exchange, rpcV2.group(1) + "." + rpcV2.group(2), body, RPC_V2_CBOR);
            } else if (isForm(exchange)) {
                serveQuery(exchange, body);
            } else {
                sendJsonError(exchange, "application/x-amz-json-1.1", JSON, new AwsErrorException(400,
                        "UnknownOperationException", "No AWS operation in this request: the Deckhand local cloud "
                                + "expects an X-Amz-Target header (AWS JSON protocol), an Action parameter (query protocol) "
                                + "or a /service/<name>/operation/<operation> path (RPC v2 CBOR)"), null);
            }
        } catch (RuntimeException e) {
            // The exchange is closed by now; nothing can be answered. Log it: it is a bug in the local cloud.
            LOG.log(System.Logger.Level.ERROR, "Local cloud failed to answer " + exchange.getRequestURI(), e);
        }
    }

    /**
     * How a JSON-shaped request is read and answered: AWS JSON (the content type the client sent), or
     * Smithy RPC v2 CBOR, whose every answer carries {@code smithy-protocol: rpc-v2-cbor}.
     */
    private record Wire(ObjectMapper mapper, String contentType, boolean rpcV2) {

        String contentTypeFor(HttpExchange exchange) {
            return contentType != null ? contentType
                    : Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type"))
                            .orElse("application/x-amz-json-1.1");
        }
    }

    private void serveJson(HttpExchange exchange, String target, byte[] body, Wire wire) throws IOException {
        String contentType = wire.contentTypeFor(exchange);
        ObjectMapper mapper = wire.mapper();
        if (wire.rpcV2()) {
            exchange.getResponseHeaders().set("smithy-protocol", "rpc-v2-cbor");
        }
        int dot = target.lastIndexOf('.');
        String prefix = dot < 0 ? target : target.substring(0, dot);
        String operation = dot < 0 ? "" : target.substring(dot + 1);
        String keyId = accessKeyId(exchange);
        String account = keyId == null ? null : keyAccounts.get(keyId);
        JsonProtocolService service = account == null ? jsonServices.get(prefix)
                : accountServices.getOrDefault(account, Map.of()).get(prefix);
        ErrorSender errors = error -> sendJsonError(exchange, contentType, mapper, error,
                service == null ? null : service.queryErrorCode(error.errorCode()));
        if (!applyFaults(exchange, prefix, operation, errors,
                cancellation -> {
                    exchange.getResponseHeaders().set("x-amzn-ErrorType", "TransactionCanceledException");
                    send(exchange, 400, contentType, JSON.writeValueAsBytes(
                            FaultErrors.transactionCancelled(cancellation, transactItems(body))));
                })) {
            return;
        }
        IamEnforcement enforcement = iam;
        if (enforcement != null) {
            try {
                // AWS answers AccessDeniedException with HTTP 400 on its JSON protocols.
                enforcement.authorize(accessKeyId(exchange), signingName(exchange), operation,
                        body.length == 0 ? JSON.createObjectNode() : mapper.readTree(body), 400, "AccessDeniedException");
            } catch (AwsErrorException e) {
                errors.send(e);
                return;
            } catch (IOException e) {
                // Not JSON: the service answers it with its own error below.
            }
        }
        auditMembers(prefix, operation, target, body, mapper);
        URI backend = forwards.get(prefix);
        if (backend != null) {
            forward(exchange, backend, body);
            return;
        }
        if (service == null) {
            errors.send(AwsErrorException.unsupportedOperation(target));
            return;
        }
        JsonNode request;
        try {
            request = body.length == 0 ? JSON.createObjectNode() : mapper.readTree(body);
        } catch (IOException e) {
            errors.send(AwsErrorException.clientError("SerializationException",
                    "The request body is not valid " + (wire.rpcV2() ? "CBOR" : "JSON") + ": " + e.getMessage()));
            return;
        }
        try {
            RequestValidator validator = validators.get(prefix);
            if (validator != null) {
                validator.validate(operation, request);
            }
            JsonNode answer = service.handle(operation, request);
            send(exchange, 200, contentType, mapper.writeValueAsBytes(answer == null ? JSON.createObjectNode() : answer));
        } catch (AwsErrorException e) {
            errors.send(e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Local " + prefix + " failed on " + operation, e);
            errors.send(new AwsErrorException(500, "InternalFailure",
                    "The Deckhand local cloud failed on " + target + ": " + e));
        }
    }

    /**
     * Every request member, since this gateway started, that the SDK's model of its operation does not
     * define, as {@code "Target: member.path"} ({@code *} for any element or map value). Deckhand's
     * functions build their JSON requests by hand; a misspelled member would be ignored, or refused,
     * by AWS without a word here, so the tests ask this to be empty.
     */
    public List<String> unmodelledMembers() {
        return unmodelled.stream().sorted().toList();
    }

    private void auditMembers(String prefix, String operation, String target, byte[] body, ObjectMapper mapper) {
        RequestValidator model = prefix.equals("DynamoDB_20120810") ? dynamoDbModel : validators.get(prefix);
        if (model == null || body.length == 0) {
            return;
        }
        try {
            model.unmodelledMembers(operation, mapper.readTree(body)).forEach(path -> unmodelled.add(target + ": " + path));
        } catch (IOException e) {
            // Not JSON: the service refuses it below.
        }
    }

    private void serveQuery(HttpExchange exchange, byte[] body) throws IOException {
        Map<String, String> parameters = parseForm(new String(body, StandardCharsets.UTF_8));
        String action = parameters.getOrDefault("Action", "");
        QueryProtocolService service = queryService(exchange);
        String namespace = service == null ? "" : service.xmlNamespace();
        String serviceName = service == null ? "" : service.signingName();
        if (!applyFaults(exchange, serviceName, action, error -> sendXmlError(exchange, namespace, error),
                cancellation -> sendXmlError(exchange, namespace, FaultErrors.serverError(serviceName, action)))) {
            return;
        }
        if (service == null || action.isEmpty()) {
            sendXmlError(exchange, namespace, new AwsErrorException(400, "InvalidAction",
                    "The action " + action + " is not valid for this endpoint of the Deckhand local cloud"));
            return;
        }
        IamEnforcement enforcement = iam;
        if (enforcement != null) {
            try {
                // The query services answer a denial with HTTP 403 AuthorizationError (SNS API reference, Publish: Errors).
                ObjectNode request = JSON.createObjectNode();
                parameters.forEach(request::put);
                enforcement.authorize(accessKeyId(exchange), serviceName, action, request, 403,
                        service.accessDeniedCode());
            } catch (AwsErrorException e) {
                sendXmlError(exchange, namespace, e);
                return;
            }
        }
        try {
            String result = service.handle(action, parameters, accessKeyId(exchange));
            String xml = "<" + action + "Response xmlns=\"" + namespace + "\">"
                    + "<" + action + "Result>" + result + "</" + action + "Result>"
                    + "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>"
                    + "</" + action + "Response>";
            send(exchange, 200, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
        } catch (AwsErrorException e) {
            sendXmlError(exchange, namespace, e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Local " + serviceName + " failed on " + action, e);
            sendXmlError(exchange, namespace, new AwsErrorException(500, "InternalError",
                    "The Deckhand local cloud failed on " + action + ": " + e));
        }
    }

    private static String accessKeyId(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            return null;
        }
        Matcher matcher = ACCESS_KEY.matcher(authorization);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String signingName(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            return "";
        }
        Matcher matcher = SIGNING_NAME.matcher(authorization);
        return matcher.find() ? matcher.group(1) : "";
    }

    private QueryProtocolService queryService(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            Matcher matcher = SIGNING_NAME.matcher(authorization);
            if (matcher.find()) {
                return queryServices.get(matcher.group(1));
            }
        }
        // Unsigned requests: only unambiguous when one query service is registered.
        return queryServices.size() == 1 ? queryServices.values().iterator().next() : null;
    }

    private interface ErrorSender {
        void send(AwsErrorException error) throws IOException;
    }

    /** Answers a cancelled DynamoDB transaction, whose body carries CancellationReasons. */
    private interface CancellationSender {
        void send(FaultKind reason) throws IOException;
    }

    /** How many actions a TransactWriteItems request holds (one cancellation reason each). */
    private static int transactItems(byte[] body) {
        try {
            return Math.max(1, JSON.readTree(body).path("TransactItems").size());
        } catch (IOException e) {
            return 1;
        }
    }

    /** Applies the drawn faults; false when the request must not be answered normally. */
    private boolean applyFaults(HttpExchange exchange, String service, String operation, ErrorSender errors,
            CancellationSender cancellations) throws IOException {
        FaultInjector.Decision decision = faults.decide(service, operation);
        if (!decision.delay().isZero()) {
            try {
                Thread.sleep(decision.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while injecting latency", e);
            }
        }
        if (decision.failure().isEmpty()) {
            return true;
        }
        FaultKind kind = decision.failure().get();
        switch (kind) {
            case THROTTLE -> errors.send(FaultErrors.throttling(service, operation));
            case SERVER_ERROR -> errors.send(FaultErrors.serverError(service, operation));
            // Closing an exchange before sending headers closes the connection: the client sees no answer.
            case DROP -> exchange.close();
            case TRANSACTION_CONFLICT -> errors.send(FaultErrors.transactionConflict(service, operation));
            case CANCEL_CONDITIONAL_CHECK_FAILED, CANCEL_TRANSACTION_CONFLICT, CANCEL_THROTTLING_ERROR,
                    CANCEL_PROVISIONED_THROUGHPUT_EXCEEDED, CANCEL_VALIDATION_ERROR -> cancellations.send(kind);
            case LATENCY, ENTRY_THROTTLED, ENTRY_INTERNAL_FAILURE ->
                    throw new IllegalStateException(kind + " is never a failure of the whole request");
        }
        return false;
    }

    private void forward(HttpExchange exchange, URI backend, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(backend.resolve(exchange.getRequestURI().getRawPath()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : FORWARDED_HEADERS) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        HttpResponse<byte[]> response;
        try {
            response = forwarder.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while forwarding to " + backend, e);
        }
        response.headers().map().forEach((name, values) -> {
            if (!List.of("content-length", "transfer-encoding", "connection", "date", "server")
                    .contains(name.toLowerCase())) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] answer = response.body();
        exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
    }

    /**
     * The AWS JSON (and RPC v2 CBOR) error shape: the code in {@code __type} and in
     * {@code x-amzn-ErrorType}, which the SDK maps to the modelled exception class; services that
     * keep their query-protocol codes (awsQueryCompatible, e.g. CloudWatch) also name that code in
     * {@code x-amzn-query-error: Code;Sender}.
     *
     * @param queryErrorCode the error's query-protocol code, or null when the service has none
     */
    private static void sendJsonError(HttpExchange exchange, String contentType, ObjectMapper mapper,
            AwsErrorException error, String queryErrorCode) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("__type", error.errorCode()).put("message", error.getMessage());
        exchange.getResponseHeaders().set("x-amzn-ErrorType", error.errorCode());
        if (queryErrorCode != null) {
            exchange.getResponseHeaders().set("x-amzn-query-error",
                    queryErrorCode + ";" + (error.httpStatus() >= 500 ? "Receiver" : "Sender"));
        }
        send(exchange, error.httpStatus(), contentType, mapper.writeValueAsBytes(body));
    }

    /** The AWS query error shape: {@code <ErrorResponse><Error><Type/><Code/><Message/></Error>}. */
    private static void sendXmlError(HttpExchange exchange, String namespace, AwsErrorException error)
            throws IOException {
        String xml = "<ErrorResponse xmlns=\"" + namespace + "\"><Error>"
                + "<Type>" + (error.httpStatus() >= 500 ? "Receiver" : "Sender") + "</Type>"
                + "<Code>" + Xml.escape(error.errorCode()) + "</Code>"
                + "<Message>" + Xml.escape(error.getMessage()) + "</Message>"
                + "</Error><RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>";
        send(exchange, error.httpStatus(), "text/xml", xml.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static boolean isForm(HttpExchange exchange) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        return contentType != null && contentType.startsWith("application/x-www-form-urlencoded");
    }

    private static Map<String, String> parseForm(String form) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }
}
