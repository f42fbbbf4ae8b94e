package dev.deckhand.local.deployer;

import dev.deckhand.health.HealthProbe;
import dev.deckhand.health.ProbeAnswer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * The local cloud's "DNS": a health URL from the configuration (e.g.
 * {@code http://storefront.dev.acme.internal/health}) is sent to the loopback load balancer of
 * the simulated ECS service it belongs to, keeping its path. The probe itself is the real HTTP
 * one the Lambda uses.
 */
final class LocalHealthProbe implements HealthProbe {

    private final HealthProbe http;
    private final Map<String, Function<String, URI>> loadBalancers;

    /** @param loadBalancers configured host (with port, if any) → the load balancer's base URL */
    LocalHealthProbe(HealthProbe http, Map<String, Function<String, URI>> loadBalancers) {
        this.http = http;
        this.loadBalancers = Map.copyOf(loadBalancers);
    }

    @Override
    public ProbeAnswer probe(String url, Duration timeout) {
        URI configured = URI.create(url);
        Function<String, URI> loadBalancer = loadBalancers.get(hostKey(configured));
        if (loadBalancer == null) {
            return http.probe(url, timeout);
        }
        URI base = loadBalancer.apply(url);
        String local = base.getScheme() + "://" + base.getAuthority() + (configured.getRawPath() == null ? "/"
                : configured.getRawPath()) + (configured.getRawQuery() == null ? "" : "?" + configured.getRawQuery());
        return http.probe(local, timeout);
    }

    static String hostKey(URI uri) {
        return uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
