package dev.deckhand.local.iam;

import java.util.Map;

/**
 * One authorization AWS makes for a request: an action on one resource with the request's
 * condition keys (one request may need several, e.g. RegisterTaskDefinition also needs
 * iam:PassRole on each role it names).
 */
public record Authorization(String action, String resource, Map<String, String> context) {

    public Authorization {
        context = Map.copyOf(context);
    }

    public static Authorization of(String action, String resource) {
        return new Authorization(action, resource, Map.of());
    }
}
