package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A cluster with its services, one-off tasks and the RunTask client tokens already used (tokens are per cluster). */
final class EcsCluster {

    final String name;
    final String arn;
    final Map<String, EcsService> services = new LinkedHashMap<>();
    final Map<String, EcsTask> tasks = new LinkedHashMap<>();
    final Map<String, ClientTokenUse> runTaskClientTokens = new LinkedHashMap<>();

    /** A RunTask client token: the request it came with (less the token), what it started, and when. */
    record ClientTokenUse(JsonNode request, List<EcsTask> tasks, Instant usedAt) {
    }

    EcsCluster(String name, String arn) {
        this.name = name;
        this.arn = arn;
    }
}
