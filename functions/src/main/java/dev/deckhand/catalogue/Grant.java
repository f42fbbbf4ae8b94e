package dev.deckhand.catalogue;

import java.util.List;
import java.util.Map;

/**
 * Allowed actions on one resource, optionally under conditions ({@code operator → key → value},
 * as in an IAM policy's {@code Condition} block). Plain data, rendered into IAM statements once, by
 * {@link Policies}: the CDK app deploys those statements and the local cloud enforces them.
 */
public record Grant(List<String> actions, Resource resource, Map<String, Map<String, String>> conditions) {

    public Grant {
        actions = List.copyOf(actions);
        conditions = Map.copyOf(conditions);
    }

    static Grant allow(Resource resource, String... actions) {
        return new Grant(List.of(actions), resource, Map.of());
    }
}
