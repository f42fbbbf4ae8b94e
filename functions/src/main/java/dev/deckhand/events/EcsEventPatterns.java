package dev.deckhand.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.aws.EcsMigrationTasks;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.json.DeckhandJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.TreeSet;

/**
 * The EventBridge patterns that hand ECS's events to wait-router, scoped to the configured
 * clusters. The sources are {@code statemachine/triggers/ecs-deployment-state-change.json} (a
 * service deployment COMPLETED or FAILED; the service ARN is the event's only resource) and
 * {@code ecs-task-stopped.json} (a task STOPPED; the cluster is {@code detail.clusterArn}), as the
 * Amazon ECS developer guide shows these events. The CDK app deploys exactly these patterns and
 * the local cloud matches exactly these patterns.
 *
 * <p>Region and account are left to {@code wildcard} matching ("eb-create-pattern-operators",
 * wildcard), so one pattern serves the stack wherever it is deployed.
 */
public final class EcsEventPatterns {

    static final String DEPLOYMENTS = "/triggers/ecs-deployment-state-change.json";
    static final String TASKS = "/triggers/ecs-task-stopped.json";

    private EcsEventPatterns() {
    }

    /** Service deployments COMPLETED or FAILED, of services in the configured clusters. */
    public static String deploymentsOf(DeckhandConfiguration configuration) {
        ObjectNode pattern = template(DEPLOYMENTS);
        ArrayNode resources = pattern.putArray("resources");
        clusters(configuration).forEach(cluster -> resources.addObject()
                .put("wildcard", "arn:*:ecs:*:*:service/" + cluster + "/*"));
        return pattern.toString();
    }

    /** Deckhand's own (migration) tasks STOPPED in the configured clusters; a service's tasks wake nobody. */
    public static String stoppedTasksOf(DeckhandConfiguration configuration) {
        ObjectNode pattern = template(TASKS);
        ((ObjectNode) pattern.get("detail")).putArray("startedBy").add(EcsMigrationTasks.STARTED_BY);
        ArrayNode clusters = ((ObjectNode) pattern.get("detail")).putArray("clusterArn");
        clusters(configuration).forEach(cluster -> clusters.addObject()
                .put("wildcard", "arn:*:ecs:*:*:cluster/" + cluster));
        return pattern.toString();
    }

    /**
     * The deployments pattern a target account's default bus forwards to Deckhand's: only that
     * account's events ({@code account}) of the clusters its cross-account environments use.
     */
    public static String deploymentsIn(DeckhandConfiguration configuration, String account) {
        ObjectNode pattern = template(DEPLOYMENTS);
        pattern.putArray("account").add(account);
        ArrayNode resources = pattern.putArray("resources");
        clustersIn(configuration, account).forEach(cluster -> resources.addObject()
                .put("wildcard", "arn:*:ecs:*:" + account + ":service/" + cluster + "/*"));
        return pattern.toString();
    }

    /** The stopped-tasks pattern a target account's default bus forwards to Deckhand's, as {@link #deploymentsIn}. */
    public static String stoppedTasksIn(DeckhandConfiguration configuration, String account) {
        ObjectNode pattern = template(TASKS);
        pattern.putArray("account").add(account);
        ((ObjectNode) pattern.get("detail")).putArray("startedBy").add(EcsMigrationTasks.STARTED_BY);
        ArrayNode clusters = ((ObjectNode) pattern.get("detail")).putArray("clusterArn");
        clustersIn(configuration, account).forEach(cluster -> clusters.addObject()
                .put("wildcard", "arn:*:ecs:*:" + account + ":cluster/" + cluster));
        return pattern.toString();
    }

    private static TreeSet<String> clusters(DeckhandConfiguration configuration) {
        TreeSet<String> clusters = new TreeSet<>();
        configuration.services().values().forEach(service -> service.environments().values()
                .forEach(environment -> clusters.add(environment.cluster())));
        return clusters;
    }

    private static TreeSet<String> clustersIn(DeckhandConfiguration configuration, String account) {
        TreeSet<String> clusters = new TreeSet<>();
        configuration.services().values().forEach(service -> service.environments().values().stream()
                .filter(environment -> environment.crossAccount() && environment.account().equals(account))
                .forEach(environment -> clusters.add(environment.cluster())));
        return clusters;
    }

    private static ObjectNode template(String resource) {
        try (InputStream in = EcsEventPatterns.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return (ObjectNode) DeckhandJson.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
