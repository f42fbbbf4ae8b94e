package dev.deckhand.local.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.deckhand.local.gateway.LoopbackServers;
import dev.deckhand.local.lambda.LocalLambdaContext;
import dev.deckhand.promote.DeploymentApiHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The promote and status API on loopback, as API Gateway serves it on AWS: each request is
 * checked for a SigV4 signature of a known caller of this account (IAM authorization and the
 * account-only resource policy), turned into the REST proxy event API Gateway sends, and answered
 * by the same {@link DeploymentApiHandler} the Lambda runs.
 */
public final class LocalApiGateway implements AutoCloseable {

    /** The API's resources, as API Gateway names them ({@code resource}) with their path pattern. */
    private static final Map<String, Pattern> RESOURCES = Map.of(
            "/promotions", Pattern.compile("/promotions"),
            "/services/{service}/environments/{env}/promotions",
            Pattern.compile("/services/(?<service>[^/]+)/environments/(?<env>[^/]+)/promotions"),
            "/services/{service}/environments/{env}/rollbacks",
            Pattern.compile("/services/(?<service>[^/]+)/environments/(?<env>[^/]+)/rollbacks"),
            "/services/{service}/environments/{env}/freeze",
            Pattern.compile("/services/(?<service>[^/]+)/environments/(?<env>[^/]+)/freeze"),
            "/deployments/{id}", Pattern.compile("/deployments/(?<id>[^/]+)"),
            "/deployments/{id}/approval", Pattern.compile("/deployments/(?<id>[^/]+)/approval"),
            "/services/{service}/environments/{env}/deployments",
            Pattern.compile("/services/(?<service>[^/]+)/environments/(?<env>[^/]+)/deployments"),
            "/metrics", Pattern.compile("/metrics"));

    private final HttpServer server;
    private final DeploymentApiHandler handler;
    private final SigV4Check signatures;
    private final RouteAuthorization routes;
    private final String region;
    private final String account;

    /**
     * @param callers the key pairs allowed to call, each with its account; only {@code account}'s are authorized
     */
    public LocalApiGateway(DeploymentApiHandler handler, List<Caller> callers, String region, String account, int port)
            throws IOException {
        this(handler, callers, RouteAuthorization.accountWide(), region, account, port);
    }

    /**
     * @param routes which caller may invoke which route (the callers' identity policies)
     */
    public LocalApiGateway(DeploymentApiHandler handler, List<Caller> callers, RouteAuthorization routes, String region,
            String account, int port) throws IOException {
        this.handler = handler;
        this.routes = routes;
        this.region = region;
        this.account = account;
        this.signatures = new SigV4Check(callers.stream()
                .map(caller -> new SigV4Check.Caller(caller.accessKeyId(), caller.secretAccessKey(), caller.account()))
                .toList(), account);
        // Read timeouts and workers on demand: slow or idle clients never starve real requests.
        this.server = LoopbackServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                "deckhand-local-api");
        server.createContext("/", this::serve);
        server.start();
    }

    /** A key pair and its account. */
    public record Caller(String accessKeyId, String secretAccessKey, String account) {
    }

    /** {@code http://127.0.0.1:<port>}: what {@code DECKHAND_API_URL} names. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public String region() {
        return region;
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
            URI requested = exchange.getRequestURI();
            URI signedUri = URI.create("http://" + first(headers, "host") + requested.getRawPath()
                    + (requested.getRawQuery() == null ? "" : "?" + requested.getRawQuery()));
            SigV4Check.Verdict verdict = signatures.verify(exchange.getRequestMethod(), signedUri, headers, body);
            if (verdict.caller().isEmpty()) {
                write(exchange, 403, "{\"message\":\"" + verdict.refusal().replace("\"", "'") + "\"}");
                return;
            }
            String principal = verdict.caller().get().userArn();
            if (!routes.mayInvoke(principal, exchange.getRequestMethod(), requested.getRawPath())) {
                // API Gateway's answer when the identity policy does not allow execute-api:Invoke.
                write(exchange, 403, "{\"message\":\"User: " + principal + " is not authorized to perform: "
                        + "execute-api:Invoke on resource: " + exchange.getRequestMethod() + requested.getRawPath() + "\"}");
                return;
            }
            APIGatewayProxyRequestEvent event = event(exchange, requested, headers, body, verdict.caller().get());
            if (event == null) {
                write(exchange, 404, "{\"message\":\"Not Found\"}");
                return;
            }
            APIGatewayProxyResponseEvent response = handler.handleRequest(event,
                    new LocalLambdaContext("deckhand-api", region, account));
            write(exchange, response.getStatusCode(), response.getBody());
        }
    }

    /** The REST proxy event API Gateway would send the function, or null when no resource matches. */
    private APIGatewayProxyRequestEvent event(HttpExchange exchange, URI uri, Map<String, List<String>> headers,
            byte[] body, SigV4Check.Caller caller) {
        for (Map.Entry<String, Pattern> resource : RESOURCES.entrySet()) {
            Matcher matcher = resource.getValue().matcher(uri.getRawPath());
            if (!matcher.matches()) {
                continue;
            }
            Map<String, String> pathParameters = new LinkedHashMap<>();
            for (String name : List.of("id", "service", "env")) {
                if (resource.getKey().contains("{" + name + "}")) {
                    pathParameters.put(name, java.net.URLDecoder.decode(matcher.group(name), StandardCharsets.UTF_8));
                }
            }
            Map<String, String> query = new LinkedHashMap<>();
            if (uri.getRawQuery() != null) {
                for (String pair : uri.getRawQuery().split("&")) {
                    String[] parts = pair.split("=", 2);
                    query.put(java.net.URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                            parts.length > 1 ? java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
                }
            }
            Map<String, String> singleHeaders = new LinkedHashMap<>();
            headers.forEach((name, values) -> singleHeaders.put(name, values.get(0)));
            APIGatewayProxyRequestEvent.RequestIdentity identity = new APIGatewayProxyRequestEvent.RequestIdentity()
                    .withAccessKey(caller.accessKeyId()).withAccountId(caller.account()).withUserArn(caller.userArn())
                    .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                    .withUserAgent(singleHeaders.get("user-agent"));
            return new APIGatewayProxyRequestEvent()
                    .withResource(resource.getKey()).withPath(uri.getRawPath())
                    .withHttpMethod(exchange.getRequestMethod())
                    .withHeaders(singleHeaders)
                    .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                    .withQueryStringParameters(query.isEmpty() ? null : query)
                    .withBody(body.length == 0 ? null : new String(body, StandardCharsets.UTF_8))
                    .withIsBase64Encoded(false)
                    .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                            .withAccountId(account).withApiId("local").withStage("local")
                            .withHttpMethod(exchange.getRequestMethod()).withResourcePath(resource.getKey())
                            .withPath(uri.getRawPath()).withRequestId(UUID.randomUUID().toString())
                            .withIdentity(identity));
        }
        return null;
    }

    private static void write(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = (body == null ? "" : body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }
}
