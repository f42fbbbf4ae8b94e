package dev.deckhand.local.ecs;

import java.util.LinkedHashMap;
import java.util.Map;

/** A cluster with its services, one-off tasks and the RunTask client tokens already used. */
final class EcsCluster {

    final String name;
    final String arn;
    final Map<String, EcsService> services = new LinkedHashMap<>();
    final Map<String, OneOffTask> tasks = new LinkedHashMap<>();
    final Map<String, java.util.List<OneOffTask>> tasksByClientToken = new LinkedHashMap<>();

    EcsCluster(String name, String arn) {
        this.name = name;
        this.arn = arn;
    }
}
