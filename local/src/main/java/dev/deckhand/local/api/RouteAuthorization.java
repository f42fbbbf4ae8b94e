package dev.deckhand.local.api;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which principal may invoke which route of the local API, as the caller's IAM identity policy
 * decides on AWS. An {@code execute-api:Invoke} statement names
 * {@code arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<resource path>}, with
 * {@code *} matching any characters (API Gateway developer guide, "Control access for invoking an
 * API" and "IAM policy examples for API execution permissions"); here each principal's allowed
 * routes are the {@code <METHOD>/<resource path>} part, e.g.
 * {@code POST/services/storefront/environments/staging/promotions}. A principal with no statements
 * may invoke every route: the API's resource policy admits the whole account.
 */
public final class RouteAuthorization {

    private final Map<String, List<String>> allowedRoutes;

    /** @param allowedRoutes principal ARN → the routes its policy allows */
    public RouteAuthorization(Map<String, List<String>> allowedRoutes) {
        this.allowedRoutes = Map.copyOf(allowedRoutes);
    }

    /** Everyone of the account may invoke everything: the default, as the CDK app's resource policy. */
    public static RouteAuthorization accountWide() {
        return new RouteAuthorization(Map.of());
    }

    /**
     * @param path the request's path (without the stage), e.g. {@code /services/storefront/environments/prod/promotions}
     */
    public boolean mayInvoke(String principalArn, String method, String path) {
        List<String> routes = allowedRoutes.get(principalArn);
        if (routes == null) {
            return true;
        }
        String route = method + path;
        return routes.stream().anyMatch(allowed -> glob(allowed).matcher(route).matches());
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        String[] parts = pattern.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            regex.append(i > 0 ? ".*" : "").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString());
    }
}
